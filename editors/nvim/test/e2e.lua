-- End-to-end test of the plugin in headless Neovim, run by run.sh with
-- 'runtimepath' holding editors/nvim and a freshly built entitlint on PATH.
-- E2E_SCENARIO=default: only require('entitlint').setup(), a broken
--   .entitlements file without an <?xml line inside an Xcode project.
-- E2E_SCENARIO=options: setup{ plist = true, settings = … } on a .plist.
-- Prints one line per check and "nvim e2e (<scenario>): N passed, N failed".
local scenario = os.getenv('E2E_SCENARIO') or 'default'
local work = assert(os.getenv('E2E_WORK'), 'E2E_WORK not set')
local fixture = assert(os.getenv('E2E_FIXTURE'), 'E2E_FIXTURE not set')
local TIMEOUT = 20000

local passed, failed = 0, 0
local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end
local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    out('ok - ' .. name)
  else
    failed = failed + 1
    out('not ok - ' .. name .. (detail and (': ' .. detail) or ''))
  end
  return ok
end
local function finish()
  for _, c in ipairs(vim.lsp.get_clients()) do
    if vim.fn.has('nvim-0.11') == 1 then
      c:stop()
    else
      c.stop() -- 0.10: a plain function, whose first argument is `force`
    end
  end
  local stopped = vim.wait(5000, function()
    return #vim.lsp.get_clients() == 0
  end, 50)
  check('the server stops on request', stopped)
  out(('nvim e2e (%s): %d passed, %d failed'):format(scenario, passed, failed))
  vim.cmd(failed == 0 and 'qall!' or 'cquit 1')
end

-- Messages the server or Neovim show the user (bad settings, spawn errors).
local notes = {}
local notify = vim.notify
vim.notify = function(msg, level, o)
  table.insert(notes, { msg = msg, level = level })
  return notify(msg, level, o)
end

local function write(path, text)
  vim.fn.mkdir(vim.fs.dirname(path), 'p')
  local f = assert(io.open(path, 'w'))
  f:write(text)
  f:close()
end

local function diagnostics(buf, accept)
  local found
  vim.wait(TIMEOUT, function()
    local ds = vim.diagnostic.get(buf)
    if #ds > 0 and accept(ds) then
      found = ds
      return true
    end
    return false
  end, 50)
  return found or vim.diagnostic.get(buf)
end

local function codes(ds)
  return table.concat(vim.tbl_map(function(d)
    return tostring(d.code)
  end, ds), ',')
end

local function sorted_codes(ds)
  local t = vim.tbl_map(function(d)
    return ('%s@%d'):format(tostring(d.code), d.lnum)
  end, ds)
  table.sort(t)
  return table.concat(t, ',')
end

local function has_code(ds, code)
  for _, d in ipairs(ds) do
    if d.code == code and d.source == 'entitlint' then
      return d
    end
  end
end

local text = table.concat(vim.fn.readfile(fixture), '\n') .. '\n'

if scenario == 'default' then
  require('entitlint').setup()

  local project = work .. '/Demo'
  vim.fn.mkdir(project .. '/Demo.xcodeproj', 'p')
  local file = project .. '/App/App.entitlements'
  write(file, text)
  vim.cmd.edit(vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()

  check('filetype is entitlements without an <?xml line', vim.bo[buf].filetype == 'entitlements', vim.bo[buf].filetype)
  check(
    'XML highlighting',
    vim.b[buf].current_syntax == 'entitlements' or vim.treesitter.highlighter.active[buf] ~= nil,
    tostring(vim.b[buf].current_syntax)
  )

  local ds = diagnostics(buf, function(d)
    return has_code(d, 'hallucinated-key') ~= nil
  end)
  local d = has_code(ds, 'hallucinated-key')
  check('diagnostics from entitlint', #ds >= 1 and ds[1].source == 'entitlint', ('%d: %s'):format(#ds, codes(ds)))
  check('hallucinated-key on line 4', d and d.lnum == 3, codes(ds))

  local client = vim.lsp.get_clients({ bufnr = buf, name = 'entitlint' })[1]
  check('client attached', client ~= nil)
  if not client then
    return finish()
  end
  check('root is the directory with Demo.xcodeproj', client.config.root_dir == project, client.config.root_dir)

  local pos = { textDocument = vim.lsp.util.make_text_document_params(buf), position = { line = 3, character = 10 } }
  local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', pos, TIMEOUT) or {}
  local result = (hover[client.id] or {}).result
  local contents = result and result.contents and (result.contents.value or vim.inspect(result.contents)) or ''
  check('hover on the key', contents:find('application%-groups') ~= nil, contents:sub(1, 200))

  if d then
    local params = {
      textDocument = vim.lsp.util.make_text_document_params(buf),
      range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
      context = { diagnostics = { d.user_data.lsp }, only = { 'quickfix' } },
    }
    local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, TIMEOUT) or {}
    local fix
    for _, a in ipairs((res[client.id] or {}).result or {}) do
      if a.title:find('com.apple.security.application-groups', 1, true) and a.edit then
        fix = fix or a
      end
    end
    check('quick fix offered', fix ~= nil)
    if fix then
      vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
      local line = vim.api.nvim_buf_get_lines(buf, 3, 4, false)[1]
      check('quick fix applied', line:find('com.apple.security.application-groups', 1, true) ~= nil, line)
      local after = diagnostics(buf, function(x)
        return not has_code(x, 'hallucinated-key')
      end)
      check('diagnostic gone after the fix', not has_code(after, 'hallucinated-key'), codes(after))

      -- Typing: Neovim sends ranged changes (incremental sync), several per
      -- didChange when they come quickly. A comment with characters of 2
      -- and 4 bytes (1 and 2 UTF-16 units) goes before the key, then the
      -- key is retyped, a character at a time, as a hallucination: the
      -- server's copy of the text must follow, or the diagnostic would be
      -- missing or land elsewhere.
      vim.api.nvim_buf_set_text(buf, 3, 0, 3, 0, { '<!-- é😀 -->' })
      local l = vim.api.nvim_buf_get_lines(buf, 3, 4, false)[1]
      local from = l:find('com.apple.security.application-groups', 1, true) - 1
      vim.api.nvim_buf_set_text(buf, 3, from, 3, from + #'com.apple.security.application-groups', { '' })
      local typed = 'com.apple.developer.app-groups'
      for i = 1, #typed do
        vim.api.nvim_buf_set_text(buf, 3, from + i - 1, 3, from + i - 1, { typed:sub(i, i) })
      end
      local retyped = diagnostics(buf, function(x)
        local h = has_code(x, 'hallucinated-key')
        return h and h.lnum == 3 and h.col == from
      end)
      local h = has_code(retyped, 'hallucinated-key')
      check(
        'typed edits reach the server (hallucinated-key after the comment)',
        h and h.lnum == 3 and h.col == from and h.end_col == from + #typed,
        h and ('%d:%d-%d, want 3:%d-%d'):format(h.lnum, h.col, h.end_col, from, from + #typed) or codes(retyped)
      )
      -- The text is the one first opened plus a comment: the same findings
      -- (a server text that went astray would add syntax errors).
      check('same findings as the text first opened', sorted_codes(retyped) == sorted_codes(ds),
        sorted_codes(retyped) .. ' vs ' .. sorted_codes(ds))
    end
  end
elseif scenario == 'options' then
  require('entitlint').setup({
    plist = true,
    -- Empty values are left out by the plugin; the server would reject them.
    settings = { rules = { ['hallucinated-key'] = 'off' }, platforms = {}, teamID = '', minVersions = {} },
  })
  local file = work .. '/Opt/Entitlements.plist'
  write(file, (text:gsub('<true/>', '<string>YES</string>')))
  vim.cmd.edit(vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  check('*.plist is entitlements with plist = true', vim.bo[buf].filetype == 'entitlements', vim.bo[buf].filetype)
  local ds = diagnostics(buf, function(x)
    return has_code(x, 'wrong-type') ~= nil
  end)
  check('diagnostics for the plist', has_code(ds, 'wrong-type') ~= nil, codes(ds))
  check('settings reached the server (hallucinated-key off)', not has_code(ds, 'hallucinated-key'), codes(ds))
  local errors = vim.tbl_filter(function(n)
    return (n.level or 0) >= vim.log.levels.WARN
  end, notes)
  check('no error shown', #errors == 0, vim.inspect(errors))
else
  check('known scenario', false, scenario)
end

finish()
