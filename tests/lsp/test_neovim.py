"""A second real client: headless Neovim (Debian's `neovim`) opens a file of the test project
and reads `vim.diagnostic.get()`. Neovim turns the server's UTF-16 columns into byte columns,
so the 🚀 before the finding checks the conversion end to end."""

import json
import os
import pathlib
import shutil
import subprocess

import pytest

from conftest import HERE, meshlint_binary


def test_neovim_shows_the_finding(project: pathlib.Path, tmp_path: pathlib.Path):
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("headless Neovim is not installed (apt-get install neovim)")
    web_tf = project / "infra" / "web.tf"
    out = tmp_path / "diagnostics.json"
    binary = pathlib.Path(shutil.which(meshlint_binary()) or meshlint_binary()).resolve()
    env = dict(
        os.environ,
        PATH=f"{binary.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        MESHLINT_FILE=str(web_tf),
        MESHLINT_OUT=str(out),
        HOME=str(tmp_path),  # no user configuration
    )
    subprocess.run(
        [nvim, "--headless", "--clean", "-c", f"luafile {HERE / 'neovim_smoke.lua'}"],
        env=env,
        check=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    result = json.loads(out.read_text())
    assert result["filetype"] == "terraform"
    found = result["diagnostics"]
    assert [d["code"] for d in found] == ["MESH002"]
    assert found[0]["source"] == "meshlint"
    lines = web_tf.read_text().split("\n")
    line = lines[found[0]["lnum"]]
    column = len(line[: line.index("*/ 9090") + 3].encode())
    assert (found[0]["col"], found[0]["end_col"]) == (column, column + 4)


def test_the_readme_gives_the_setup_the_test_runs():
    script = (HERE / "neovim_smoke.lua").read_text()
    setup = script.split("-- README setup begins\n")[1].split("-- README setup ends\n")[0]
    readme = (HERE.parent.parent / "README.md").read_text()
    assert setup in readme
