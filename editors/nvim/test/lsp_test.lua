-- Headless end-to-end test of the plugin against the real report-lsp binary.
-- Run: REPORT_LSP_BIN=... nvim --headless -u NONE -l editors/nvim/test/lsp_test.lua
-- Exits non-zero on the first failure or on a timeout that names what it waited for.

local script_dir = vim.fs.dirname(vim.fs.normalize(vim.fn.fnamemodify(arg and arg[0] or 'test/lsp_test.lua', ':p')))
local plugin_root = vim.fs.dirname(script_dir)
local repo_root = vim.fs.dirname(vim.fs.dirname(plugin_root))
local bin = os.getenv('REPORT_LSP_BIN') or (repo_root .. '/target/debug/report-lsp')
local corpus = repo_root .. '/tests/fixtures/corpus'
local WAIT_MS = tonumber(os.getenv('REPORT_LSP_TEST_TIMEOUT_MS') or '20000')

local passed, failed = 0, 0

local function finish(code)
  print(('%d passed, %d failed'):format(passed, failed))
  io.stdout:flush()
  os.exit(code)
end

-- Last line of defence against a hang outside vim.wait (e.g. a blocking request).
local watchdog = vim.uv.new_timer()
watchdog:start(180000, 0, function()
  io.stderr:write('FAIL: whole test timed out after 180 s\n')
  os.exit(3)
end)

local function check(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
    print('PASS: ' .. name)
  else
    failed = failed + 1
    print('FAIL: ' .. name .. '\n' .. tostring(err))
    finish(1)
  end
end

local function wait_for(what, cond, ms)
  ms = ms or WAIT_MS
  local value
  local ok = vim.wait(ms, function()
    value = cond()
    return value ~= nil and value ~= false
  end, 20)
  if not ok then
    error(('timed out after %d ms waiting for %s'):format(ms, what), 2)
  end
  return value
end

local function eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    error(('%s: expected %s, got %s'):format(what, vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

local function request(bufnr, method, params, what)
  local res, err = vim.lsp.buf_request_sync(bufnr, method, params, WAIT_MS)
  if not res then
    error(('timed out after %d ms waiting for %s (%s)'):format(WAIT_MS, what or method, tostring(err)), 2)
  end
  for _, r in pairs(res) do
    if r.err then
      error(method .. ' failed: ' .. vim.inspect(r.err), 2)
    end
    return r.result
  end
end

local function flatten(symbols, out, depth)
  out = out or {}
  for _, s in ipairs(symbols or {}) do
    out[#out + 1] = { s = s, depth = depth or 0 }
    flatten(s.children, out, (depth or 0) + 1)
  end
  return out
end

local function client_for(bufnr, name)
  return wait_for(('%s to attach to %s'):format(name, vim.api.nvim_buf_get_name(bufnr)), function()
    local c = vim.lsp.get_clients({ bufnr = bufnr, name = name })[1]
    return c and c.initialized and c or nil
  end)
end

local function write(path, lines, eol)
  local f = assert(io.open(path, 'wb'))
  f:write(table.concat(lines, eol or '\n'))
  f:close()
end

-- Text of `line` between two LSP columns in the client's encoding; errors on a split character.
local function slice(line, start_char, end_char, enc)
  local s = vim.str_byteindex(line, enc, start_char, false)
  local e = vim.str_byteindex(line, enc, end_char, false)
  local text = line:sub(s + 1, e)
  assert(vim.str_utfindex(text, enc) ~= nil and vim.fn.strchars(text) == vim.str_utfindex(text, 'utf-32'), 'split character')
  return text
end

local tmp = vim.fn.tempname()
vim.fn.mkdir(tmp, 'p')

check('setup loads the plugin and the server binary exists', function()
  assert(vim.fn.has('nvim-0.11') == 1, 'needs Neovim >= 0.11, got ' .. tostring(vim.version()))
  assert(vim.uv.fs_stat(bin), 'server binary not found at ' .. bin .. ': run cargo build or set REPORT_LSP_BIN')
  vim.opt.runtimepath:prepend(plugin_root)
  vim.cmd('filetype on')
  require('report-lsp').setup({ cmd = { bin, 'serve' } })
  eq(2, vim.fn.exists(':ReportTargets'), ':ReportTargets exists')
  eq(2, vim.fn.exists(':ReportDuplicates'), ':ReportDuplicates exists')
  eq(2, vim.fn.exists(':ReportPlaceholders'), ':ReportPlaceholders exists')
end)

check('the pattern option selects files by glob', function()
  local plugin = require('report-lsp')
  local function matches(pattern, name)
    local buf = vim.api.nvim_create_buf(true, false)
    vim.api.nvim_buf_set_name(buf, name)
    plugin.options.pattern = pattern
    local r = plugin.is_report_buffer(buf)
    vim.api.nvim_buf_delete(buf, { force = true })
    return r
  end
  eq(true, matches(nil, '/w/报告.txt'), 'default *.txt')
  eq(false, matches(nil, '/w/notes.md'), 'default on .md')
  eq(true, matches('reports/*.txt', '/w/reports/2020.txt'), 'relative dir glob')
  eq(false, matches('reports/*.txt', '/w/other/2020.txt'), 'relative dir glob elsewhere')
  eq(true, matches({ '*.md', '*.txt' }, '/w/a.md'), 'list of globs')
  eq(true, matches('/w/**/*.txt', '/w/a/b/c.txt'), 'absolute glob')
  plugin.options.pattern = nil
end)

local function read(path)
  local f = assert(io.open(path, 'rb'))
  local text = f:read('*a')
  f:close()
  return text
end

check(':help report-lsp resolves from the shipped doc/tags, which is current', function()
  -- The plugin folder is on 'runtimepath' as a user would add it: no :helptags run.
  vim.cmd('help report-lsp')
  assert(vim.api.nvim_buf_get_name(0):find('report-lsp.txt', 1, true), 'help buffer ' .. vim.api.nvim_buf_get_name(0))
  vim.cmd.helpclose()
  vim.cmd('help report-lsp-commands')
  vim.cmd.helpclose()
  -- doc/tags regenerated from doc/report-lsp.txt must equal the shipped one.
  local doc = tmp .. '/doc'
  vim.fn.mkdir(doc, 'p')
  vim.uv.fs_copyfile(plugin_root .. '/doc/report-lsp.txt', doc .. '/report-lsp.txt')
  vim.cmd.helptags(vim.fn.fnameescape(doc))
  eq(read(doc .. '/tags'), read(plugin_root .. '/doc/tags'), 'doc/tags (regenerate: nvim --headless -c "helptags editors/nvim/doc" -c q)')
end)

check('server_path: ~ and $VAR expanded, a relative path made absolute', function()
  local plugin = require('report-lsp')
  local home = vim.env.HOME
  eq(home .. '/bin/report-lsp', plugin.client_config({ server_path = '~/bin/report-lsp' }).cmd[1], '~')
  eq(home .. '/bin/report-lsp', plugin.client_config({ server_path = '$HOME/bin/report-lsp' }).cmd[1], '$HOME')
  eq(vim.fn.getcwd() .. '/target/debug/report-lsp', plugin.client_config({ server_path = 'target/debug/report-lsp' }).cmd[1], 'relative')
  eq('report-lsp', plugin.client_config({}).cmd[1], 'a bare name is looked up on PATH')
  -- A real binary under a ~ path is found.
  local fake_home = tmp .. '/home'
  vim.fn.mkdir(fake_home .. '/bin', 'p')
  vim.uv.fs_symlink(vim.fn.fnamemodify(bin, ':p'), fake_home .. '/bin/report-lsp')
  vim.env.HOME = fake_home
  local exe = plugin.client_config({ server_path = '~/bin/report-lsp' }).cmd[1]
  vim.env.HOME = home
  eq(nil, require('report-lsp.commands').missing_server(exe), 'missing_server(' .. exe .. ')')
end)

local report = corpus .. '/beijing-2020-report.txt'
local bufnr, client

check('attaches to a .txt report with filetype text and sends the settings', function()
  vim.cmd.edit(vim.fn.fnameescape(report))
  bufnr = vim.api.nvim_get_current_buf()
  eq('text', vim.bo[bufnr].filetype, 'filetype')
  client = client_for(bufnr, 'report_lsp')
  eq('zh', client.config.settings.reportLsp.language, 'settings.reportLsp.language')
  eq(300, client.config.settings.reportLsp.diagnostics.delayMs, 'settings.reportLsp.diagnostics.delayMs')
end)

check('does not attach to other text buffers', function()
  local other = tmp .. '/notes.md'
  write(other, { 'not a report' })
  vim.cmd.edit(vim.fn.fnameescape(other))
  vim.bo.filetype = 'text'
  vim.wait(300)
  eq(0, #vim.lsp.get_clients({ bufnr = 0, name = 'report_lsp' }), 'clients on notes.md')
  vim.cmd.buffer(bufnr)
end)

local heading_line
check('documentSymbol returns the nested outline with 一、2019年工作回顾', function()
  local result = request(bufnr, 'textDocument/documentSymbol', { textDocument = vim.lsp.util.make_text_document_params(bufnr) })
  local all = flatten(result)
  local found, nested
  for _, e in ipairs(all) do
    if e.s.name == '一、2019年工作回顾' then
      found = e.s
    end
    nested = nested or e.depth >= 1
  end
  assert(found, 'names: ' .. vim.inspect(vim.tbl_map(function(e) return e.s.name end, vim.list_slice(all, 1, 10))))
  assert(nested, 'the outline is flat')
  heading_line = found.selectionRange.start.line
  local text = vim.api.nvim_buf_get_lines(bufnr, heading_line, heading_line + 1, true)[1]
  -- The line is indented with U+3000 ideographic spaces.
  assert(text:match('^[\227\128 ]*(.-)%s*$') == '一、2019年工作回顾', 'selectionRange line holds: ' .. text)
end)

check('hover on the heading returns Markdown', function()
  local text = vim.api.nvim_buf_get_lines(bufnr, heading_line, heading_line + 1, true)[1]
  vim.api.nvim_win_set_cursor(0, { heading_line + 1, (text:find('一', 1, true)) })
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local hover = request(bufnr, 'textDocument/hover', params)
  assert(hover and hover.contents, 'no hover')
  eq('markdown', hover.contents.kind, 'hover kind')
  assert(#vim.trim(hover.contents.value) > 0, 'empty hover')
end)

-- A repeated number (一、二、二、四、): the fix renumbers the one wrong heading, which the next
-- sibling confirms (a bare gap gets no fix).
local repeated = tmp .. '/repeated.txt'
check('numbering error: diagnostic, code action, and the fix applied', function()
  write(repeated, {
    '测试报告', '',
    '一、甲', '甲的正文写在这里，共同推进各项工作。',
    '二、乙', '乙的正文写在这里，持续改善民生福祉。',
    '二、丙', '丙的正文写在这里，稳步扩大对外开放。',
    '四、丁', '丁的正文写在这里，全面完成目标任务。', '',
  })
  vim.cmd.edit(vim.fn.fnameescape(repeated))
  local buf = vim.api.nvim_get_current_buf()
  local c = client_for(buf, 'report_lsp')
  local diag = wait_for('a heading-numbering diagnostic on repeated.txt', function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'heading-numbering' and d.source == 'report-lsp' then
        return d
      end
    end
  end)
  eq(6, diag.lnum, 'diagnostic line')
  local lsp_diag = diag.user_data and diag.user_data.lsp
  assert(lsp_diag, 'vim.diagnostic lost the LSP diagnostic')
  local params = vim.lsp.util.make_range_params(0, c.offset_encoding)
  params.range = lsp_diag.range
  params.context = { diagnostics = { lsp_diag }, triggerKind = 1 }
  local actions = request(buf, 'textDocument/codeAction', params)
  local fix
  for _, a in ipairs(actions or {}) do
    if a.kind and vim.startswith(a.kind, 'quickfix') then
      fix = a
      break
    end
  end
  assert(fix, 'no quickfix in ' .. vim.inspect(actions))
  if not fix.edit and fix.data ~= nil then
    fix = request(buf, 'codeAction/resolve', fix)
  end
  assert(fix.edit, 'quickfix has no edit')
  vim.lsp.util.apply_workspace_edit(fix.edit, c.offset_encoding)
  local lines = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, true), '\n')
  assert(lines:find('三、丙', 1, true) and lines:find('四、丁', 1, true), 'after the fix: ' .. lines)
  assert(select(2, lines:gsub('二、', '')) == 1, 'after the fix: ' .. lines)
  wait_for('heading-numbering to clear after the fix', function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'heading-numbering' then
        return false
      end
    end
    return true
  end)
end)

-- Neovim 0.11 handles no workspace/diagnostic/refresh: a finding that needs the other files of
-- the workspace must still appear on open, with no edit, once the server has indexed them.
check('cross-file duplicate appears on open without an edit (two files)', function()
  local dir = tmp .. '/cross'
  vim.fn.mkdir(dir, 'p')
  write(dir .. '/report-lsp.toml', { 'language = "zh"' })
  -- Across reports only a substantive passage (50 characters or more) is reuse.
  local passage = '扎实推进乡村振兴，加强农业基础设施建设，促进农民持续增收，改善农村人居环境，建设一批现代农业产业园和特色小镇，让农村成为安居乐业的美丽家园。'
  write(dir .. '/last-year.txt', { '去年的报告', '', passage, '' })
  write(dir .. '/this-year.txt', { '今年的报告', '', passage, '' })
  vim.cmd.edit(vim.fn.fnameescape(dir .. '/this-year.txt'))
  local buf = vim.api.nvim_get_current_buf()
  local c = client_for(buf, 'report_lsp')
  eq(dir, c.root_dir, 'root_dir')
  local diag = wait_for('a duplicate-passage diagnostic naming last-year.txt', function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'duplicate-passage' and d.message:find('last-year.txt', 1, true) then
        return d
      end
    end
  end)
  eq(2, diag.lnum, 'diagnostic line')
  assert(not vim.bo[buf].modified, 'the buffer was edited')
end)

-- 𠮷 is 4 bytes in UTF-8, 2 code units in UTF-16; CRLF must count as one line break.
local astral_lines = { '𠮷报告', '', '一、𠮷甲', '正文𠮷𠮷，推进工作。', '二、𠮷乙', '正文𠮷，推进工作。', '四、𠮷丁', '正文𠮷，推进工作。', '' }
local astral = tmp .. '/astral.txt'
write(astral, astral_lines, '\r\n')

local function check_columns(buf, c, expected_enc)
  eq(expected_enc, c.offset_encoding, 'negotiated position encoding')
  local result = request(buf, 'textDocument/documentSymbol', { textDocument = vim.lsp.util.make_text_document_params(buf) })
  local sym
  for _, e in ipairs(flatten(result)) do
    if e.s.name == '二、𠮷乙' then
      sym = e.s
    end
  end
  assert(sym, 'no symbol 二、𠮷乙')
  local r = sym.selectionRange
  eq(4, r.start.line, 'selectionRange line (CRLF counted once)')
  eq('二、𠮷乙', slice(astral_lines[5], r.start.character, r['end'].character, c.offset_encoding), 'selectionRange text')
  local diag = wait_for('a heading-numbering diagnostic on astral.txt', function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'heading-numbering' then
        return d.user_data.lsp
      end
    end
  end)
  eq(6, diag.range.start.line, 'diagnostic line')
  local line = astral_lines[7]
  local stop = diag.range['end'].line == 6 and diag.range['end'].character or vim.str_utfindex(line, c.offset_encoding)
  local text = slice(line, diag.range.start.character, stop, c.offset_encoding)
  assert(vim.startswith(text, '四'), 'diagnostic covers ' .. text)
end

check('UTF-8 columns on a CRLF line with 𠮷 (the encoding Neovim prefers)', function()
  vim.cmd.edit(vim.fn.fnameescape(astral))
  local buf = vim.api.nvim_get_current_buf()
  eq('dos', vim.bo[buf].fileformat, 'fileformat')
  check_columns(buf, client_for(buf, 'report_lsp'), 'utf-8')
end)

check('UTF-16 columns when the client offers only UTF-16', function()
  local buf = vim.api.nvim_get_current_buf()
  for _, c in ipairs(vim.lsp.get_clients({ name = 'report_lsp' })) do
    c:stop(true)
  end
  vim.diagnostic.reset(nil, buf)
  local caps = vim.lsp.protocol.make_client_capabilities()
  caps.general.positionEncodings = { 'utf-16' }
  local cfg = require('report-lsp').client_config({ cmd = { bin, 'serve' } })
  cfg.name = 'report_lsp_utf16'
  cfg.capabilities = caps
  cfg.root_dir = tmp
  cfg.root_markers = nil
  vim.lsp.start(cfg, { bufnr = buf })
  check_columns(buf, client_for(buf, 'report_lsp_utf16'), 'utf-16')
end)

local function server_has(sub)
  local help = vim.system({ bin, '--help' }, { text = true }):wait(10000).stdout or ''
  return help:find('\n%s+' .. sub .. '%s') ~= nil
end

check('the server has the targets command', function()
  assert(server_has('targets'), 'report-lsp --help lists no targets command')
end)

-- The CLI commands fill the quickfix list, or say plainly that the server is too old.
for _, case in ipairs({
  { sub = 'targets', cmd = 'ReportTargets', file = report },
  { sub = 'duplicates', cmd = 'ReportDuplicates ' .. vim.fn.fnameescape(corpus), file = report, required = true },
}) do
  check((':%s (server %s the subcommand)'):format(case.cmd, server_has(case.sub) and 'has' or 'lacks'), function()
    -- The server has `duplicates`: the corpus (one report pasted eight times) must fill the list.
    assert(not case.required or server_has(case.sub), 'the server lacks `' .. case.sub .. '`')
    vim.cmd.edit(vim.fn.fnameescape(case.file))
    vim.fn.setqflist({}, 'r')
    local messages = {}
    local notify = vim.notify
    vim.notify = function(msg, level)
      messages[#messages + 1] = { msg = msg, level = level }
    end
    local ok, err = pcall(vim.cmd, case.cmd)
    vim.notify = notify
    assert(ok, err)
    if server_has(case.sub) then
      local qf = vim.fn.getqflist({ items = 0, title = 0 })
      assert(#qf.items > 0, case.cmd .. ' left an empty quickfix list; messages: ' .. vim.inspect(messages))
      assert(qf.title:find('report-lsp ' .. case.sub, 1, true), 'title ' .. qf.title)
      assert(qf.items[1].lnum >= 1, 'quickfix line')
      vim.cmd.cclose()
    else
      eq(1, #messages, 'one message')
      assert(messages[1].msg:find(('no "%s" command yet'):format(case.sub), 1, true), messages[1].msg)
      eq(vim.log.levels.ERROR, messages[1].level, 'message level')
    end
  end)
end

check(':ReportTargets reads the modified buffer and neither writes nor asks', function()
  local file = tmp .. '/unsaved.txt'
  write(file, { '各位代表：', '今年的工作。', '' })
  vim.cmd.edit(vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_lines(buf, 1, 1, true, { '今年地区生产总值增长6%左右。' })
  assert(vim.bo[buf].modified, 'the buffer is modified')
  vim.fn.setqflist({}, 'r')
  vim.cmd('ReportTargets')
  local qf = vim.fn.getqflist({ items = 0 })
  eq(1, #qf.items, 'one target')
  eq(2, qf.items[1].lnum, 'line of the unsaved figure')
  eq(buf, qf.items[1].bufnr, 'the item points at the buffer')
  assert(qf.items[1].text:find('地区生产总值', 1, true), qf.items[1].text)
  assert(vim.bo[buf].modified, 'the buffer was written')
  eq('各位代表：\n今年的工作。\n', read(file), 'file on disk')
  vim.cmd.cclose()
  vim.cmd('bwipeout!')
end)

check('CLI JSON is mapped to quickfix items', function()
  local cmds = require('report-lsp.commands')
  -- Trimmed from what `targets --format json` and `duplicates --format json` really print.
  local targets = vim.json.decode([[{"version":1,"targets":[{"path":"/r.txt","line":3,"column":16,
    "endLine":3,"endColumn":23,"kind":"target","indicator":"城镇登记失业率","indicatorText":"城镇登记失业率",
    "text":"城镇登记失业率控制在3%以内","value":3.0,"unit":"%","period":{"start":2017,"end":2017,"label":"2017年"}}]}]])
  eq({ { filename = '/r.txt', lnum = 3, col = 16, text = '城镇登记失业率控制在3%以内 | 城镇登记失业率 | 3' } },
    cmds.targets_to_qf(targets, '/other.txt'), 'targets')
  local clusters = vim.json.decode([[{"clusters":[{"paragraphs":1,"similarity":1.0,"members":[
    {"path":"a.txt","line":2,"column":1,"endLine":2,"endColumn":9,"paragraphs":1,"text":"同一段"},
    {"path":"/abs/b.txt","line":7,"column":1,"endLine":7,"endColumn":9,"paragraphs":1,"text":"同一段"}]}]}]])
  eq({ { filename = '/d/a.txt', lnum = 2, text = '[1] 同一段' }, { filename = '/abs/b.txt', lnum = 7, text = '[1] 同一段' } },
    cmds.duplicates_to_qf(clusters, '/d'),
    'duplicates')
  eq(nil, cmds.failure('targets', 0, ''), 'success')
  assert(cmds.failure('targets', 2, "error: unrecognized subcommand 'targets'"):find('no "targets" command yet', 1, true))
  assert(cmds.failure('targets', 1, 'error: cannot read x.txt\nmore'):find('failed (exit 1): error: cannot read x.txt', 1, true))
end)

-- Last: it re-runs setup() with an executable that does not exist.
check('a missing server binary: setup and the commands say what is missing, no traceback', function()
  local messages = {}
  local notify = vim.notify
  vim.notify = function(msg, level)
    messages[#messages + 1] = { msg = msg, level = level }
  end
  local missing = tmp .. '/nowhere/report-lsp'
  require('report-lsp').setup({ server_path = missing })
  vim.wait(200, function() return #messages > 0 end)
  vim.cmd.edit(vim.fn.fnameescape(report))
  local ok, err = pcall(vim.cmd, 'ReportTargets')
  local ok2, err2 = pcall(vim.cmd, 'ReportDuplicates ' .. vim.fn.fnameescape(corpus))
  vim.notify = notify
  assert(ok, 'ReportTargets raised: ' .. tostring(err))
  assert(ok2, 'ReportDuplicates raised: ' .. tostring(err2))
  eq(3, #messages, 'messages: ' .. vim.inspect(messages))
  for _, m in ipairs(messages) do
    eq(vim.log.levels.ERROR, m.level, 'level')
    assert(m.msg:find(missing, 1, true) and m.msg:find('not found', 1, true) and m.msg:find('server_path', 1, true), m.msg)
  end
end)

watchdog:stop()
for _, c in ipairs(vim.lsp.get_clients()) do
  c:stop(true)
end
vim.fn.delete(tmp, 'rf')
finish(failed == 0 and 0 or 1)
