-- Headless Neovim as a language-server client (tests/lsp/test_neovim.py). The setup between
-- the markers is the README's, word for word (the test checks that): `meshlint` is found on
-- PATH, the project root by `.meshlint.toml` or `.git`.
-- README setup begins
local meshlint = {} -- one server per project root
vim.api.nvim_create_autocmd("FileType", {
  pattern = { "terraform", "hcl", "go", "python", "javascript", "typescript", "dockerfile", "sh" },
  callback = function(args)
    local dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ":p:h")
    local config = vim.fn.findfile(".meshlint.toml", dir .. ";")
    local git = vim.fn.finddir(".git", dir .. ";")
    local root = config ~= "" and vim.fn.fnamemodify(config, ":p:h")
      or git ~= "" and vim.fn.fnamemodify(git, ":p:h:h")
      or vim.fn.getcwd()
    meshlint[root] = meshlint[root] or vim.lsp.start_client({
      name = "meshlint",
      cmd = { "meshlint", "server" },
      root_dir = root,
    })
    vim.lsp.buf_attach_client(args.buf, meshlint[root])
  end,
})
-- README setup ends

-- Open the file, wait for its diagnostics, write them as JSON.
local file = os.getenv("MESHLINT_FILE")
local out = os.getenv("MESHLINT_OUT")
vim.cmd("edit " .. vim.fn.fnameescape(file))
vim.wait(30000, function()
  return #vim.diagnostic.get(0) > 0
end, 50)

local found = { filetype = vim.bo.filetype, diagnostics = {} }
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(found.diagnostics, { code = d.code, source = d.source, lnum = d.lnum, col = d.col, end_col = d.end_col })
end
local handle = io.open(out, "w")
handle:write(vim.fn.json_encode(found))
handle:close()
vim.lsp.stop_client(vim.lsp.get_active_clients())
vim.cmd("qa!")
