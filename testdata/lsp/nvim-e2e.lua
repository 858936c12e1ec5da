-- nvim-e2e.lua: drives Neovim's built-in LSP client against `entitlint serve`
-- for lsp/e2e_nvim_test.go. It opens ENTITLINT_FILE, waits for diagnostics,
-- asks for a hover and code actions, applies the quick fix for the
-- diagnostic with code ENTITLINT_FIX_CODE, then fix-all, then stops the
-- server. Everything it sees is printed as one JSON object per line; the Go
-- test makes the assertions. Needs Neovim >= 0.10.
--
-- Environment: ENTITLINT_BIN (the binary), ENTITLINT_FILE, ENTITLINT_LOG (server
-- log file), ENTITLINT_FIX_CODE, ENTITLINT_HOVER ("line:character", 0-based).

local function emit(t)
  io.stdout:write(vim.json.encode(t) .. '\n')
  io.stdout:flush()
end

local TIMEOUT = 10000

local function main()
  local bin, file = os.getenv('ENTITLINT_BIN'), os.getenv('ENTITLINT_FILE')
  local fix_code = os.getenv('ENTITLINT_FIX_CODE')
  local hl, hc = (os.getenv('ENTITLINT_HOVER') or '0:0'):match('^(%d+):(%d+)$')

  vim.cmd.edit(vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(buf)

  local publishes = {}
  local exit_code, server_info
  local client_id = vim.lsp.start({
    name = 'entitlint',
    cmd = { bin, 'serve', '--stdio', '--log-level', 'debug', '--log-file', os.getenv('ENTITLINT_LOG') },
    root_dir = vim.fs.dirname(file),
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
        if result and result.uri == uri then
          table.insert(publishes, result)
        end
      end,
    },
    on_init = function(_, result)
      server_info = result.serverInfo
    end,
    on_exit = function(code)
      exit_code = code
    end,
  }, { bufnr = buf })
  assert(client_id, 'the server did not start')
  local client = vim.lsp.get_client_by_id(client_id)

  local function wait(what, pred)
    if not vim.wait(TIMEOUT, pred, 10) then
      error('timed out waiting for ' .. what)
    end
  end
  wait('initialize', function()
    return server_info ~= nil
  end)
  emit({ type = 'client', server = server_info, offset_encoding = client.offset_encoding })

  local function dump(phase)
    local list = vim.diagnostic.get(buf)
    table.sort(list, function(a, b)
      return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
    end)
    for _, d in ipairs(list) do
      emit({ type = 'diagnostic', phase = phase, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
        code = d.code, source = d.source, message = d.message, severity = d.severity })
    end
    return list
  end

  wait('diagnostics', function()
    return #publishes > 0
  end)
  emit({ type = 'publish', version = publishes[1].version, count = #publishes[1].diagnostics })
  local diags = dump('open')

  local function request(method, params)
    local res, err = vim.lsp.buf_request_sync(buf, method, params, TIMEOUT)
    assert(res, method .. ': ' .. tostring(err))
    local r = res[client_id]
    assert(r and not r.err, method .. ' failed: ' .. vim.inspect(r and r.err))
    return r.result
  end

  local hover = request('textDocument/hover', { textDocument = { uri = uri }, position = { line = tonumber(hl), character = tonumber(hc) } })
  emit({ type = 'hover', contents = hover and hover.contents.value or vim.NIL, kind = hover and hover.contents.kind or vim.NIL })

  -- The quick fix for the chosen diagnostic, with the LSP diagnostics of
  -- that line in the context, as vim.lsp.buf.code_action sends them.
  local target
  for _, d in ipairs(diags) do
    if d.code == fix_code then
      target = d
    end
  end
  assert(target, 'no diagnostic with code ' .. tostring(fix_code))
  local lsp_diag = target.user_data.lsp
  local actions = request('textDocument/codeAction', {
    textDocument = { uri = uri },
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag }, only = { 'quickfix' } },
  }) or {}
  for i, a in ipairs(actions) do
    emit({ type = 'code_action', index = i - 1, title = a.title, kind = a.kind, isPreferred = a.isPreferred or false })
  end
  assert(#actions > 0, 'no quick fix for ' .. fix_code)

  local function apply(action, phase)
    local before = #publishes
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
    emit({ type = 'buffer', phase = phase, lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false) })
    -- Neovim sends the didChange after its debounce; wait for the answer
    -- to this buffer version.
    local version = vim.lsp.util.buf_versions[buf]
    wait('diagnostics after ' .. phase, function()
      return #publishes > before and publishes[#publishes].version == version
    end)
    emit({ type = 'publish', version = publishes[#publishes].version, count = #publishes[#publishes].diagnostics })
    dump(phase)
  end
  apply(actions[1], 'after_fix')

  local fix_all = request('textDocument/codeAction', {
    textDocument = { uri = uri },
    range = { start = { line = 0, character = 0 }, ['end'] = { line = 0, character = 0 } },
    context = { diagnostics = {}, only = { 'source.fixAll' } },
  }) or {}
  for _, a in ipairs(fix_all) do
    emit({ type = 'code_action', phase = 'fix_all', title = a.title, kind = a.kind })
  end
  if #fix_all > 0 then
    apply(fix_all[1], 'after_fix_all')
  end

  client.stop()
  wait('the server to exit', function()
    return exit_code ~= nil
  end)
  emit({ type = 'exit', exit_code = exit_code })
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  emit({ type = 'error', message = tostring(err) })
  vim.cmd('cquit 1')
end
vim.cmd('qall!')
