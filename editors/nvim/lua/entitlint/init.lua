-- entitlint for Neovim: the `entitlements` filetype and the entitlint
-- language server. require('entitlint').setup() is enough; see editors/README.md.
local M = {}

local INSTALL = 'go install github.com/entitlint/entitlint/cmd/entitlint@latest'
local group = vim.api.nvim_create_augroup('entitlint', { clear = true })

-- Neovim encodes an empty table as a JSON array, which the server rejects in
-- place of an object, and it rejects empty values too: leave them out.
local function clean(settings)
  if type(settings) ~= 'table' then
    return nil
  end
  local inner = settings.entitlint or settings
  local out = {}
  for k, v in pairs(inner) do
    if v ~= '' and v ~= 0 and v ~= vim.NIL and not (type(v) == 'table' and next(v) == nil) then
      out[k] = v
    end
  end
  return next(out) and out or nil
end

-- The config from lsp/entitlint.lua with the user's overrides.
local function server_config(opts)
  local file = vim.api.nvim_get_runtime_file('lsp/entitlint.lua', false)[1]
  assert(file, "entitlint: lsp/entitlint.lua is not on 'runtimepath'")
  local config = dofile(file)
  local settings = clean(opts.settings)
  config.cmd = opts.cmd or config.cmd
  config.filetypes = opts.filetypes or config.filetypes
  -- As initializationOptions too, so the first diagnostics already use them.
  config.settings = settings or vim.empty_dict()
  config.init_options = settings
  return config
end

-- One message, on the first entitlements buffer, instead of one error per buffer.
local function warn_missing(cmd, filetypes)
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = filetypes,
    once = true,
    callback = function()
      vim.notify(
        ('entitlint: `%s` was not found or is not executable, so entitlements files are not checked. '
          .. 'Install it with `%s` (and put $(go env GOPATH)/bin on PATH), or pass cmd to '
          .. "require('entitlint').setup{}; then restart Neovim."):format(cmd[1], INSTALL),
        vim.log.levels.WARN
      )
    end,
  })
end

-- Neovim 0.10 has no vim.lsp.enable: start (or reuse) a client per root.
local function start_on_filetype(config)
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = config.filetypes,
    callback = function(args)
      if vim.bo[args.buf].buftype ~= '' then
        return
      end
      config.root_dir(args.buf, function(root)
        local start = vim.tbl_extend('force', config, { name = 'entitlint', root_dir = root })
        start.root_markers, start.filetypes = nil, nil
        vim.lsp.start(start, { bufnr = args.buf })
      end)
    end,
  })
end

local function highlight(buf)
  -- Tree-sitter's XML parser when installed (nvim-treesitter), else the
  -- XML syntax through syntax/entitlements.vim.
  if pcall(vim.treesitter.language.add, 'xml') then
    pcall(vim.treesitter.start, buf, 'xml')
  end
end

-- Buffers opened before setup() (a lazy-loaded plugin) get the filetype
-- now, which fires the FileType autocommands above.
local function redetect(filetypes)
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].buftype == '' then
      local ft = vim.filetype.match({ buf = buf })
      if ft and vim.tbl_contains(filetypes, ft) then
        vim.bo[buf].filetype = ft
      end
    end
  end
end

---@class entitlint.Opts
---@field cmd? string[] server command (default { 'entitlint', 'serve' })
---@field settings? table server settings, shaped like .entitlint.json
---@field filetypes? string[] filetypes to attach to (default { 'entitlements' })
---@field plist? boolean also treat XML *.plist files as entitlements

---@param opts? entitlint.Opts
function M.setup(opts)
  opts = opts or {}
  vim.api.nvim_clear_autocmds({ group = group })

  local filetypes = { extension = { entitlements = 'entitlements' } }
  if opts.plist then
    filetypes.extension.plist = function(_, bufnr)
      local first = vim.api.nvim_buf_get_lines(bufnr, 0, 1, false)[1] or ''
      if not first:match('^bplist') then -- binary plists stay as they are
        return 'entitlements'
      end
    end
  end
  vim.filetype.add(filetypes)
  pcall(vim.treesitter.language.register, 'xml', 'entitlements')
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'entitlements',
    callback = function(args)
      highlight(args.buf)
    end,
  })

  local config = server_config(opts)
  -- (On 0.11+ cmd may also be a function that connects some other way.)
  if type(config.cmd) == 'table' and vim.fn.executable(config.cmd[1]) ~= 1 then
    warn_missing(config.cmd, config.filetypes)
  elseif vim.lsp.enable then
    local overrides = { cmd = config.cmd, filetypes = config.filetypes, settings = config.settings }
    overrides.init_options = config.init_options
    vim.lsp.config('entitlint', overrides)
    vim.lsp.enable('entitlint')
  else
    start_on_filetype(config)
  end
  redetect(config.filetypes)
end

return M
