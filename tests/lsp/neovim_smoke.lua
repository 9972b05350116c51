-- Headless Neovim as a language-server client (tests/lsp/test_neovim.py): start
-- `meshlint server` for the project, open a file, wait for its diagnostics, write them as JSON.
local bin = os.getenv("MESHLINT_BIN")
local root = os.getenv("MESHLINT_PROJECT")
local file = os.getenv("MESHLINT_FILE")
local out = os.getenv("MESHLINT_OUT")

local client = vim.lsp.start_client({
  name = "meshlint",
  cmd = { bin, "server" },
  root_dir = root,
})
vim.cmd("edit " .. vim.fn.fnameescape(file))
vim.lsp.buf_attach_client(0, client)
vim.wait(30000, function()
  return #vim.diagnostic.get(0) > 0
end, 50)

local found = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(found, { code = d.code, source = d.source, lnum = d.lnum, col = d.col, end_col = d.end_col })
end
local handle = io.open(out, "w")
handle:write(vim.fn.json_encode(found))
handle:close()
vim.lsp.stop_client(client)
vim.cmd("qa!")
