-- entitlint language server config, in nvim-lspconfig's lsp/<name>.lua shape:
-- vim.lsp.config() picks it up from 'runtimepath' (Neovim 0.11+), and
-- require('entitlint').setup() also feeds it to vim.lsp.start() on 0.10.

-- root_markers only match exact names; Xcode's project and workspace
-- directories have varying names, so root_dir (which takes precedence over
-- root_markers) also accepts *.xcodeproj and *.xcworkspace.
local root_markers = { '.entitlint.json', 'Package.swift', '.git' }

local function is_marker(name)
  return vim.tbl_contains(root_markers, name) or name:match('%.xcodeproj$') ~= nil or name:match('%.xcworkspace$') ~= nil
end

---@type vim.lsp.Config
return {
  cmd = { 'entitlint', 'serve' },
  filetypes = { 'entitlements' },
  root_markers = root_markers,
  -- The nearest directory holding a marker; else the file's own directory,
  -- since entitlint is just as useful on a lone file.
  root_dir = function(bufnr, on_dir)
    local root = vim.fs.root(bufnr, is_marker)
    if not root then
      local name = vim.api.nvim_buf_get_name(bufnr)
      root = name ~= '' and vim.fs.dirname(name) or vim.fn.getcwd()
    end
    on_dir(root)
  end,
  -- Same shape as .entitlint.json: platforms, minVersions, distribution,
  -- teamID, rules, catalogs, exclude, maxFileSize.
  settings = {},
}
