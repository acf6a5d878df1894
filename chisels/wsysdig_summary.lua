-- wsysdig_summary: the JSON document wsysdig's summary page shows for a
-- capture file. rchisel bundled chisel, hidden from -cl as in sysdig.
--
-- Without arguments the chisel only lets the capture go by and then runs
-- rchisel again on the same file with "-c wsysdig_summary 400,DURATION"
-- (sysdig.run_app). That second run samples every metric 400 times over the
-- capture: it prints '{"slices": [', a progress line every 12 samples, then
-- the summary (metrics with their time lines, capture info) and ']}'.

description = "internal chisel, creates the json for the wsysdig summary page."
short_description = "wsysdig summary generator"
category = "NA"
hidden = true

args =
{
	{
		name = "composite_args",
		description = "The number of events in the file. If this argument is not specified, the chisel will just scan the file, compute the number of events and then relaunch itself with the number as argument.",
		argtype = "int",
		optional = true
	}
}

local common = require "rchisel_common"

local N_SAMPLES = 400
local n_timeline = N_SAMPLES -- samples wanted in the output time lines
local duration = nil         -- capture duration (ns): set in the second run
local nintervals = 0
local progress_every = 1

-- Metrics, in output order. Fields: id, then the output fields (name, desc,
-- category, targetView, targetViewTitle, targetViewFilter, drillDownKey,
-- targetViewSortingCol); ex = excludable (left out when zero), nw =
-- noteworthy, avg = averaged when time lines are subsampled, set = counts
-- distinct keys (its total is the number of keys seen over the capture).
local LOGFILES = "(fd.name contains .log or fd.name contains _log or fd.name contains /var/log)"
local METRICS = {
	{ id = "notifications", ex = true, nw = true, name = "Sysdig Secure Notifications",
		desc = 'Sysdig Secure notifications. Sysdig secure inserts a "notification" event in the capture stream each time a policy triggers. This metric counts the notifications. Chart it over time to compare the other metrics with the point in time where policies were triggered.',
		category = "general", targetView = "notifications", drillDownKey = "NONE" },
	{ id = "procCount", set = true, avg = true, name = "Running Processes",
		desc = "Total number of processes that were running during the capture",
		category = "general", targetView = "procs", drillDownKey = "" },
	{ id = "containerCount", set = true, avg = true, name = "Running Containers",
		desc = "Total number of containers that were running during the capture",
		category = "general", targetView = "containers", drillDownKey = "" },
	{ id = "syscallCount", name = "System Calls",
		desc = "Number of system calls performed by any process/container in the system",
		category = "general", targetView = "syscalls", drillDownKey = "" },
	{ id = "fileBytes", name = "File Bytes In+Out", desc = "Amount of bytes read from or written to the file system",
		category = "file", targetView = "files", drillDownKey = "fd.directory", targetViewSortingCol = 2 },
	{ id = "fileBytesR", name = "File Bytes In", desc = "Amount of bytes read from the file system",
		category = "file", targetView = "files", drillDownKey = "fd.directory", targetViewSortingCol = 0 },
	{ id = "fileBytesW", name = "File Bytes Out", desc = "Amount of bytes written to the file system",
		category = "file", targetView = "files", drillDownKey = "fd.directory", targetViewSortingCol = 1 },
	{ id = "fileCount", set = true, ex = true, name = "Accessed Files",
		desc = "Number of files that have been accessed during the capture",
		category = "file", targetView = "files", targetViewFilter = "evt.is_io_read=true",
		drillDownKey = "fd.directory", targetViewSortingCol = 2 },
	{ id = "fileCountW", set = true, ex = true, name = "Modified Files",
		desc = "Number of files that have been received writes during the capture",
		category = "file", targetView = "files", drillDownKey = "fd.directory", targetViewSortingCol = 1,
		targetViewFilter = "evt.is_io_write=true" },
	{ id = "netBytes", name = "Net Bytes In+Out", desc = "Amount of bytes read from or written to the network",
		category = "network", targetView = "sports", drillDownKey = "fd.directory", targetViewSortingCol = 4 },
	{ id = "netBytesR", name = "Net Bytes In", desc = "Amount of bytes read from the network",
		category = "network", targetView = "sports", drillDownKey = "fd.sport", targetViewSortingCol = 2 },
	{ id = "netBytesW", name = "Net Bytes Out", desc = "Amount of bytes written to the network",
		category = "network", targetView = "sports", drillDownKey = "fd.sport", targetViewSortingCol = 3 },
	{ id = "connectionCount", set = true, ex = true, name = "Active Network Connections",
		desc = "Number of network connections that have been accessed during the capture",
		category = "network", targetView = "connections", targetViewFilter = "evt.is_io=true",
		drillDownKey = "fd.sport", targetViewSortingCol = 8 },
	{ id = "listeningPortCount", set = true, ex = true, avg = true, name = "Listening Ports",
		desc = "Number of open ports on this system", category = "network", targetView = "port_bindings",
		drillDownKey = "fd.sport" },
	{ id = "newListeningPorts", ex = true, nw = true, name = "New Listening Ports",
		desc = "Number of open ports that have been added during the observation interval",
		category = "network", targetView = "port_bindings", drillDownKey = "fd.sport" },
	{ id = "newConnectionsO", ex = true, name = "New Outbound Connections", desc = "New client network connections",
		category = "network", targetView = "dig", targetViewTitle = "Connect events",
		targetViewFilter = "evt.type=connect and evt.dir=< and fd.sport exists", drillDownKey = "NONE" },
	{ id = "newConnectionsI", ex = true, name = "New Inbound Connections", desc = "New server network connections",
		category = "network", targetView = "dig", targetViewTitle = "Connect events",
		targetViewFilter = "evt.type=accept and evt.dir=< and fd.sport exists", drillDownKey = "" },
	{ id = "executedCommands", nw = true, name = "Executed Commands",
		desc = "Number of new programs that have been executed during the observed interval",
		category = "security", targetView = "spy_users_wsysdig", drillDownKey = "" },
	{ id = "executedInteractiveCommands", ex = true, nw = true, name = "Executed Interactive Commands",
		desc = "Number of new programs that have been executed from a shell during the observed interval",
		category = "security", targetView = "spy_users_wsysdig", targetViewFilter = "proc.pname=bash",
		drillDownKey = "NONE" },
	{ id = "newSymLinksCount", ex = true, nw = true, name = "New Symlinks",
		desc = "Number of new symbolic links that were created", category = "security", targetView = "dig",
		targetViewTitle = "Symlink creations",
		targetViewFilter = "(evt.type=symlink or evt.type=symlinkat) and evt.dir=< and evt.failed = false",
		drillDownKey = "NONE" },
	{ id = "sysFileCountW", set = true, ex = true, nw = true, name = "Modified System Files",
		desc = "Number of files that have been accessed during the capture", category = "security",
		targetViewSortingCol = 1, targetView = "files", targetViewFilter = "evt.is_io_write=true",
		drillDownKey = "NONE" },
	{ id = "sudoInvocations", ex = true, nw = true, name = "Sudo Invocations",
		desc = "Number of times the sudo program has been called", category = "security", targetView = "dig",
		targetViewTitle = "Sudo executions", targetViewFilter = "evt.type=execve and evt.arg.exe=sudo",
		drillDownKey = "NONE" },
	{ id = "setnsInvocations", ex = true, nw = true, name = "Setns Invocations",
		desc = 'Number of times the setns system call has been called. Setns is typically used to "enter" in another container',
		category = "security", targetView = "dig", targetViewTitle = "Setns executions",
		targetViewFilter = "evt.type=setns", drillDownKey = "NONE" },
	{ id = "newConnectionsSsh", ex = true, nw = true, name = "New SSH Connections", desc = "Client or server connections",
		category = "security", targetView = "dig", targetViewTitle = "Connect events",
		targetViewFilter = "(evt.type=accept or evt.type=connect) and evt.dir=< and fd.sport=22", drillDownKey = "" },
	{ id = "fileDeletionsCount", ex = true, nw = true, name = "Deleted Files", desc = "Number of files that were deleted",
		category = "security", targetView = "dig", targetViewTitle = "File deletions",
		targetViewFilter = "evt.type=unlink or evt.type=unlinkat", drillDownKey = "NONE" },
	{ id = "sysReqCountHttp", ex = true, nw = true, name = "HTTP Requests", desc = "Number of HTTP requests",
		category = "performance", targetView = "echo", targetViewTitle = "HTTP responses",
		targetViewFilter = '(fd.type=ipv4 or fd.type=ipv6) and evt.buffer contains "HTTP/"', drillDownKey = "fd.directory" },
	{ id = "sysErrCountHttp", ex = true, nw = true, name = "HTTP Errors",
		desc = "Number of HTTP responses with code different from 400", category = "performance", targetView = "echo",
		targetViewTitle = "HTTP responses",
		targetViewFilter = '(fd.type=ipv4 or fd.type=ipv6) and evt.arg.data startswith "HTTP/" and not evt.arg.data contains "200"',
		drillDownKey = "fd.directory" },
	{ id = "openErrorCount", ex = true, name = "File Open Errors", desc = "Count of failed file opens",
		category = "performance", targetView = "dig", targetViewTitle = "Failed open() calls",
		targetViewFilter = "evt.type=open and evt.rawres<0", drillDownKey = "fd.directory" },
	{ id = "forkCount", ex = true, name = "Fork Count", desc = "Count of processes and threads that have been created",
		category = "performance", targetView = "dig", targetViewTitle = "Clone executions",
		targetViewFilter = "evt.type=clone and evt.rawres=0", drillDownKey = "NONE" },
	{ id = "connectErrorCount", ex = true, nw = true, name = "Failed Connection Attempts",
		desc = "Count of failed network connect calls", category = "performance", targetView = "dig",
		targetViewTitle = "Failed connect() calls",
		targetViewFilter = "evt.type=connect and (fd.type=ipv4 or fd.type=ipv6) and evt.rawres<0 and evt.res!=EINPROGRESS",
		drillDownKey = "NONE" },
	{ id = "signalCount", ex = true, name = "Received Signals",
		desc = "Number of unix signals that have been received by the processes on the system",
		category = "performance", targetView = "dig", targetViewTitle = "Received signals",
		targetViewFilter = "evt.type=signaldeliver", drillDownKey = "NONE" },
	{ id = "segfaultCount", ex = true, nw = true, name = "Segmentation Faults", desc = "Number of process segfaults",
		category = "performance", targetView = "dig", targetViewTitle = "List of segfault events",
		targetViewFilter = "evt.type=signaldeliver and evt.arg.sig=SIGSEV", drillDownKey = "NONE" },
	{ id = "over1msFileIoCount", ex = true, name = "Slow File I/O calls (1ms+)",
		desc = "Number of file read or write calls that took more than 1ms to return", category = "performance",
		targetView = "slow_io", targetViewSortingCol = 1, drillDownKey = "NONE" },
	{ id = "over10msFileIoCount", ex = true, name = "Slow File I/O calls (10ms+)",
		desc = "Number of file read or write calls that took more than 10ms to return", category = "performance",
		targetView = "slow_io", targetViewSortingCol = 1, drillDownKey = "NONE" },
	{ id = "over100msFileIoCount", ex = true, nw = true, name = "Slow File I/O calls (100ms+)",
		desc = "Number of file read or write calls that took more than 100ms to return", category = "performance",
		targetView = "slow_io", targetViewSortingCol = 1, drillDownKey = "NONE" },
	{ id = "appLogCount", ex = true, name = "App Log Messages", desc = "Number of writes to application log files",
		category = "logs", targetView = "echo", targetViewTitle = "Application Log Messages",
		targetViewFilter = "(" .. LOGFILES .. " and not (fd.name contains .gz or fd.name contains .tgz)) and evt.is_io_write=true",
		drillDownKey = "NONE" },
	{ id = "appLogCountW", ex = true, name = "App Log Warning Messages",
		desc = 'Number of writes to application log files containing the word "warning"', category = "logs",
		targetView = "echo", targetViewTitle = "Warning Application Log Messages",
		targetViewFilter = "(" .. LOGFILES .. " and not (fd.name contains .gz or fd.name icontains .tgz)) and evt.is_io_write=true and evt.arg.data icontains warn",
		drillDownKey = "NONE" },
	{ id = "appLogCountE", ex = true, nw = true, name = "App Log Error Messages",
		desc = 'Number of writes to application log files containing the word "error"', category = "logs",
		targetView = "echo", targetViewTitle = "Error Application Log Messages",
		targetViewFilter = "(" .. LOGFILES .. " and not (fd.name contains .gz or fd.name contains .tgz)) and evt.is_io_write=true and (evt.arg.data icontains error or evt.arg.data icontains critic or evt.arg.data icontains emerg or evt.arg.data icontains alert)",
		drillDownKey = "NONE" },
	{ id = "sysLogCount", ex = true, name = "Syslog Messages", desc = "Number of entries written to syslog",
		category = "logs", targetView = "spy_syslog", targetViewTitle = "Syslog Messages", drillDownKey = "NONE" },
	{ id = "sysLogCountW", ex = true, name = "Syslog Warning Messages",
		desc = "Number of entries with severity WARNING written to syslog", category = "logs",
		targetView = "spy_syslog", targetViewTitle = "Syslog Messages", targetViewFilter = "syslog.severity=4",
		drillDownKey = "NONE" },
	{ id = "sysLogCountE", ex = true, nw = true, name = "Syslog Error Messages",
		desc = "Number of entries with severity ERROR or lower written to syslog", category = "logs",
		targetView = "spy_syslog", targetViewTitle = "Syslog Messages", targetViewFilter = "syslog.severity<4",
		drillDownKey = "NONE" },
	{ id = "dockerEvtsCount", ex = true, nw = true, name = "Docker Events",
		desc = "Total number of events generated by docker activity", category = "infrastructure",
		targetView = "docker_events", drillDownKey = "NONE" },
}
local OUT_FIELDS = { "name", "desc", "category", "targetView", "targetViewTitle", "targetViewFilter",
	"drillDownKey", "targetViewSortingCol" }

-- Bytes per application protocol, by server port.
local SERVICES = {
	HTTP = { 80, 8080 }, HTTPs = { 443 }, SSH = { 22 }, DNS = { 53 }, ["Sysdig Agent"] = { 6443, 6666, 6667 },
	etcd = { 2379, 22379 }, mysql = { 3306 }, postgres = { 5432 }, redis = { 6379 }, couchdb = { 5984 },
	fluentd = { 9880 }, statsd = { 8125 }, gearman = { 4730 }, hadoop = { 8020, 9000, 50070 },
	hbase = { 60000, 60010, 60020, 60030 }, kafka = { 2181 }, ["Kyoto Tycoon"] = { 1978 },
	memcached = { 11211 }, mongodb = { 27017, 27018, 27019, 28017 }, rabbitmq = { 5672 },
	riak = { 8087, 8098 }, solr = { 8983 }, voltdb = { 5555 }, elasticsearch = {},
}
for p = 9200, 9400 do
	table.insert(SERVICES.elasticsearch, p)
end
local PROTO_BY_PORT = {}
local PROTOS = {}
for proto, ports in pairs(SERVICES) do
	PROTOS[#PROTOS + 1] = proto
	for _, p in ipairs(ports) do
		PROTO_BY_PORT[p] = "protoBytes_" .. proto
	end
end
table.sort(PROTOS)

-- A category: the running total of the current sample and, over the
-- capture, the sum, the biggest sample and the time line.
local function category(m)
	return { tot = 0, max = 0, timeLine = {}, table = m.set and {} or nil, excludable = m.ex or false,
		noteworthy = m.nw or false, aggregation = m.avg and "avg" or "sum" }
end

local total = {}  -- over the capture
local sample = {} -- the current sample
local docker_types = {} -- dynamic "dockerEvtsCount<type>" categories
local n_events = 0      -- events of the current sample (its syscallCount)
local seen_before = 0   -- with chisel.events_seen: its value at the last sample

local function reset_sample()
	local keep = sample.listeningPortCount
	for _, m in ipairs(METRICS) do
		sample[m.id] = category(m)
	end
	for _, proto in ipairs(PROTOS) do
		sample["protoBytes_" .. proto] = category({ ex = true })
	end
	for t in pairs(docker_types) do
		sample["dockerEvtsCount" .. t] = category({ ex = true, nw = true })
	end
	-- listening ports carry over from sample to sample
	if keep ~= nil then
		sample.listeningPortCount = keep
	end
end

local function count(id, n)
	local c = sample[id]
	c.tot = c.tot + (n or 1)
end

-- Counts `key` once per sample in set category `id`.
local function count_key(id, key)
	if key == nil then
		return
	end
	local c = sample[id]
	if c.table[key] == nil then
		c.table[key] = 1
		c.tot = c.tot + 1
	end
end

-- Adds the current sample to the capture's categories.
local function add_sample(ts_s, ts_ns)
	local t = sysdig.make_ts(ts_s, ts_ns)
	if chisel.events_seen ~= nil then
		local seen = chisel.events_seen()
		n_events, seen_before = seen - seen_before, seen
	end
	sample.syscallCount.tot, n_events = n_events, 0
	for id, c in pairs(sample) do
		local d = total[id]
		if d == nil then -- a new docker event type
			d = category({ ex = true, nw = true })
			total[id] = d
		end
		d.tot = d.tot + c.tot
		if c.tot > d.max then
			d.max = c.tot
		end
		d.timeLine[#d.timeLine + 1] = { t = t, v = c.tot }
		if c.table ~= nil then
			for k, v in pairs(c.table) do
				d.table[k] = v
			end
		end
	end
end

function on_set_arg(name, val)
	if name ~= "composite_args" then
		return false
	end
	local parts = common.split(val, ",")
	local n = tonumber(parts[1])
	if n ~= 0 and n < N_SAMPLES then
		n_timeline = n
	end
	duration = parts[2]
	return true
end

local field = evt.field
local F_TYPE, F_DIR, F_RAWRES, F_CONTNAME, F_FDNAME, F_FDTYPE, F_ISWRITE, F_ISREAD, F_BUFFER, F_BUFLEN,
	F_SPORT, F_TYPECHAR, F_EXE, F_SIG, F_LATENCY, F_SEVERITY, F_SOURCE, F_NAME, F_PNAME, F_RAWDATA

function on_init()
	if duration == nil then
		-- the first run only needs the capture's duration: no event needs
		-- the chisel's own code (a filter no event type passes: rejected
		-- on the type alone, once per type)
		chisel.set_filter("evt.dir=< and evt.dir=>")
		return true
	end
	chisel.set_precise_interval_ns(duration / (N_SAMPLES - 1))
	-- the time lines only grow: a generational collector does not mark
	-- them again and again
	collectgarbage("generational")
	-- With chisel.events_seen counting every event, on_event only needs
	-- the events that count for something else.
	if chisel.events_seen ~= nil then
		-- I/O exits first (the cheapest check), then one type check for the
		-- rest; open exits count only when failed, close enters only with a
		-- server port
		chisel.set_filter("(evt.is_io=true and evt.dir=<) or (evt.type in (execve, bind, connect, accept, " ..
			"unlink, unlinkat, symlink, symlinkat, clone, fork, setns, open, signaldeliver, notification, " ..
			"infra, close) and ((evt.dir=< and evt.type in (execve, bind, connect, accept, unlink, unlinkat, " ..
			"symlink, symlinkat, clone, fork, setns)) or (evt.dir=< and evt.type=open and not evt.rawres>=0) or " ..
			"(evt.dir=> and evt.type in (signaldeliver, notification, infra)) or " ..
			"(evt.dir=> and evt.type=close and fd.sport exists)))")
	end
	progress_every = math.max(1, math.floor(N_SAMPLES / 100 * 3))
	for _, m in ipairs(METRICS) do
		total[m.id] = category(m)
	end
	for _, proto in ipairs(PROTOS) do
		total["protoBytes_" .. proto] = category({ ex = true })
	end
	reset_sample()
	local r = chisel.request_field
	F_TYPE, F_DIR, F_RAWRES, F_CONTNAME = r("evt.type"), r("evt.dir"), r("evt.rawres"), r("fd.containername")
	F_FDNAME, F_FDTYPE, F_ISWRITE, F_ISREAD = r("fd.name"), r("fd.type"), r("evt.is_io_write"), r("evt.is_io_read")
	F_BUFFER, F_BUFLEN, F_SPORT, F_TYPECHAR = r("evt.buffer"), r("evt.buflen"), r("fd.sport"), r("fd.typechar")
	F_EXE, F_SIG, F_LATENCY, F_SEVERITY = r("evt.arg.exe"), r("evt.arg.sig"), r("evt.latency"), r("syslog.severity")
	F_SOURCE, F_NAME, F_PNAME, F_RAWDATA = r("evt.arg.source"), r("evt.arg.name"), r("proc.pname"),
		r("evt.rawarg.data")
	print('{"slices": [')
	return true
end

function on_capture_start()
	if duration == nil then
		return true
	end
	-- the ports servers listen on when the capture starts
	local c = sample.listeningPortCount
	for _, th in pairs(sysdig.get_thread_table_barebone(sysdig.get_filter())) do
		for _, fd in pairs(th.fdtable) do
			if fd.is_server then
				c.table[fd.sport] = 1
			end
		end
	end
	c.tot = 0
	for _ in pairs(c.table) do
		c.tot = c.tot + 1
	end
	return true
end

local SYSTEM_DIRS = { "/bin/", "/sbin/", "/boot/", "/etc/", "/lib", "/usr/bin/", "/usr/sbin/", "/usr/share/", "/usr/lib" }

local function starts(s, prefix)
	return string.sub(s, 1, #prefix) == prefix
end

local function is_system_file(name)
	for _, d in ipairs(SYSTEM_DIRS) do
		if starts(name, d) then
			return true
		end
	end
	return false
end

local function is_log_file(name)
	return (string.find(name, "%.log") or string.find(name, "_log") or string.find(name, "/var/log"))
		and not (string.find(name, "%.gz") or string.find(name, "%.tgz"))
end

-- A syslog write: its severity (4 = warning, below = error or worse).
local function syslog_write(sev)
	count("sysLogCount")
	if sev == 4 then
		count("sysLogCountW")
	elseif sev < 4 then
		count("sysLogCountE")
	end
end

local function file_io(iswrite, isread)
	local fdname = nil -- read when needed (writes, calls slower than 1 ms)
	local buflen = field(F_BUFLEN) or 0
	count_key("fileCount", field(F_CONTNAME))
	if iswrite then
		fdname = field(F_FDNAME)
		count_key("fileCountW", field(F_CONTNAME))
		count("fileBytes", buflen)
		count("fileBytesW", buflen)
		if is_system_file(fdname) then
			count_key("sysFileCountW", fdname)
		end
		local sev = field(F_SEVERITY)
		if sev ~= nil then
			syslog_write(sev)
		elseif is_log_file(fdname) then
			for _, msg in ipairs(common.split(field(F_BUFFER), "\n")) do
				if #msg ~= 0 then
					count("appLogCount")
					local l = string.lower(msg)
					if string.find(l, "warn") then
						count("appLogCountW")
					elseif string.find(l, "error") or string.find(l, "critic") or string.find(l, "emergency")
						or string.find(l, "alert") then
						count("appLogCountE")
					end
				end
			end
		end
	elseif isread then
		count("fileBytes", buflen)
		count("fileBytesR", buflen)
	end
	local latency = field(F_LATENCY)
	if latency ~= nil and latency > 1000000 and not starts(fdname or field(F_FDNAME), "/dev/") then
		if latency > 100000000 then count("over100msFileIoCount") end
		if latency > 10000000 then count("over10msFileIoCount") end
		if latency > 1000000 then count("over1msFileIoCount") end
	end
end

local function net_io(iswrite, isread)
	local buflen = field(F_BUFLEN) or 0
	count_key("connectionCount", field(F_CONTNAME))
	if iswrite then
		count("netBytes", buflen)
		count("netBytesW", buflen)
	elseif isread then
		count("netBytes", buflen)
		count("netBytesR", buflen)
	end
	local proto = PROTO_BY_PORT[field(F_SPORT) or -1]
	if proto ~= nil then
		count(proto, buflen)
	end
	-- the raw data starts as its text does: the text is built only for
	-- HTTP responses
	local raw = field(F_RAWDATA)
	if raw ~= nil and not starts(raw, "HTTP/") then
		return
	end
	local buf = field(F_BUFFER)
	if starts(buf, "HTTP/") then
		count("sysReqCountHttp")
		if tonumber(common.split(buf, " ")[2]) ~= 200 then
			count("sysErrCountHttp")
		end
	end
end

-- A new connection (connect or accept exit) with a server port.
local function new_connection(id)
	local sport = field(F_SPORT)
	if sport ~= nil then
		count(id)
		if sport == 22 then
			count("newConnectionsSsh")
		end
	end
end

-- An exit that succeeded.
local function exit_ok(etype, rawres)
	local iswrite = field(F_ISWRITE)
	local isread = field(F_ISREAD)
	if iswrite or isread then
		local fdtype = field(F_FDTYPE)
		if fdtype == "file" then
			file_io(iswrite, isread)
		elseif fdtype == "ipv4" or fdtype == "ipv6" then
			net_io(iswrite, isread)
		elseif fdtype == "unix" and iswrite then
			-- programs write to syslog over unix sockets
			local sev = field(F_SEVERITY)
			if sev ~= nil then
				syslog_write(sev)
			end
		end
	elseif etype == "execve" then
		count("executedCommands")
		local pname = field(F_PNAME)
		if pname ~= nil and string.find(pname, "bash") then
			count("executedInteractiveCommands")
		end
		if field(F_EXE) == "sudo" then
			count("sudoInvocations")
		end
	elseif etype == "bind" then
		local sport = field(F_SPORT)
		if sport ~= nil then
			count_key("listeningPortCount", sport)
			count("newListeningPorts")
		end
	elseif etype == "connect" then
		new_connection("newConnectionsO")
	elseif etype == "accept" then
		new_connection("newConnectionsI")
	elseif etype == "unlink" or etype == "unlinkat" then
		count("fileDeletionsCount")
	elseif etype == "symlink" or etype == "symlinkat" then
		count("newSymLinksCount")
	elseif (etype == "clone" or etype == "fork") and rawres > 0 then
		count("forkCount")
	elseif etype == "setns" then
		count("setnsInvocations")
	end
end

-- An exit that failed (or has no result).
local function exit_failed(etype, rawres)
	if etype == "connect" then
		new_connection("newConnectionsO")
		if rawres ~= -115 then -- EINPROGRESS
			local fdtype = field(F_FDTYPE)
			if fdtype == "ipv4" or fdtype == "ipv6" then
				count("connectErrorCount")
			end
		end
	elseif etype == "accept" then
		new_connection("newConnectionsI")
	elseif etype == "open" then
		count("openErrorCount")
	end
end

-- Enter events (and events without a direction).
local function enter(etype)
	if etype == "close" then
		local sport = field(F_SPORT)
		if sport ~= nil and field(F_TYPECHAR) == "2" then
			local c = sample.listeningPortCount
			if c.table[sport] ~= nil then
				c.table[sport] = nil
				c.tot = c.tot - 1
			end
		end
	elseif etype == "signaldeliver" then
		count("signalCount")
		if field(F_SIG) == "SIGSEGV" then
			count("segfaultCount")
		end
	elseif etype == "notification" then
		count("notifications")
	elseif etype == "infra" and field(F_SOURCE) == "docker" then
		count("dockerEvtsCount")
		local t = field(F_NAME)
		local id = "dockerEvtsCount" .. common.str(t)
		if sample[id] == nil then
			sample[id] = category({ ex = true, nw = true })
		end
		docker_types[common.str(t)] = true
		count(id)
	end
end

function on_event()
	n_events = n_events + 1
	local dir = field(F_DIR)
	if dir == "<" then
		local rawres = field(F_RAWRES)
		local etype = field(F_TYPE)
		if rawres ~= nil and rawres >= 0 then
			exit_ok(etype, rawres)
		else
			exit_failed(etype, rawres)
		end
	elseif dir ~= nil then
		enter(field(F_TYPE))
	end
	return true
end

-- The processes and containers alive at the end of each sample.
local function sample_tables()
	local c = sample.procCount
	if chisel.process_pids ~= nil then
		-- (the host lists them: no Lua table per thread)
		c.table, c.tot = chisel.process_pids(sysdig.get_filter())
	else
		c.table, c.tot = {}, 0
		for _, th in pairs(sysdig.get_thread_table_barebone_nofds(sysdig.get_filter())) do
			if th.tid == th.pid then
				c.table[th.pid] = 1
				c.tot = c.tot + 1
			end
		end
	end
	c = sample.containerCount
	c.table, c.tot = {}, 0
	for _, ct in pairs(sysdig.get_container_table()) do
		c.table[ct.id] = ct.name
		c.tot = c.tot + 1
	end
end

function on_interval(ts_s, ts_ns, delta)
	sample_tables()
	add_sample(ts_s, ts_ns)
	reset_sample()
	if nintervals % progress_every == 0 then
		local p = sysdig.get_read_progress()
		if p == 100 then
			p = 99.99
		end
		print('{"progress": ' .. p .. ' },')
	end
	nintervals = nintervals + 1
	return true
end

-- A time line cut to `n` samples (sums of consecutive samples, or their
-- average for "avg" categories).
local function subsample(c, n)
	local src = c.timeLine
	local per = math.ceil(#src / n)
	local res, k, acc, max = {}, 0, 0, 0
	local t = src[1] and src[1].t
	for j = 1, #src do
		k = k + 1
		acc = acc + src[j].v
		if k >= per then
			if c.aggregation == "avg" then
				acc = acc / k
			end
			res[#res + 1] = { t = t, v = acc }
			if acc > max then
				max = acc
			end
			k, acc = 0, 0
			if src[j + 1] ~= nil then
				t = src[j + 1].t
			end
		end
	end
	c.timeLine, c.max = res, max
end

local function included(c)
	return not c.excludable or c.tot ~= 0
end

-- The summary document: capture info and the metrics worth showing.
local function summary(delta)
	local containers = {}
	for k, v in pairs(total.containerCount.table) do
		containers[k] = v
	end
	-- set categories: the number of keys seen over the capture
	for _, c in pairs(total) do
		if c.table ~= nil then
			local n = 0
			for _ in pairs(c.table) do
				n = n + 1
			end
			c.tot, c.table = n, nil
		end
	end
	local metrics = {}
	local cats = { napps = false, logs = false, infrastructure = false }
	local function add(m, data)
		if included(data) then
			local out = { data = data }
			for _, k in ipairs(OUT_FIELDS) do
				out[k] = m[k]
			end
			metrics[#metrics + 1] = out
			cats[m.category] = true
		end
	end
	local filter = sysdig.get_filter()
	for _, m in ipairs(METRICS) do
		if m.id ~= "containerCount" or not string.find(filter, "container") then
			add(m, total[m.id])
		end
	end
	for _, t in ipairs(common.sorted_keys(docker_types)) do
		add({ name = t .. " Events", desc = "Total number of docker events of type " .. t,
			category = "infrastructure", targetView = "docker_events",
			targetViewFilter = 'evt.arg.name="' .. t .. '"', drillDownKey = "NONE" }, total["dockerEvtsCount" .. t])
	end
	for _, proto in ipairs(PROTOS) do
		local ports = {}
		for i, p in ipairs(SERVICES[proto]) do
			ports[i] = "fd.sport=" .. p
		end
		add({ name = proto .. " Bytes", desc = "Total number of network bytes generated by the " .. proto .. " protocol",
			category = "napps", targetView = "connections", targetViewFilter = table.concat(ports, " or "),
			drillDownKey = "NONE" }, total["protoBytes_" .. proto])
	end
	local categories = { { id = "general", name = "General" }, { id = "file", name = "File" },
		{ id = "network", name = "Network" } }
	for _, c in ipairs({ { "napps", "Network Apps", cats.napps }, { "security", "Security", true },
			{ "performance", "Performance", true }, { "logs", "Logs", cats.logs },
			{ "infrastructure", "Infrastructure", cats.infrastructure } }) do
		if c[3] then
			categories[#categories + 1] = { id = c[1], name = c[2] }
		end
	end
	return {
		info = { IndexFormatVersion = 1, containers = containers, durationNs = delta,
			startTs = sysdig.get_firstevent_ts(), endTs = sysdig.get_lastevent_ts(), categories = categories },
		metrics = metrics,
	}
end

-- A new line and the indentation of a level.
local PADS = setmetatable({}, { __index = function(t, level)
	local p = "\n" .. string.rep("  ", level)
	t[level] = p
	return p
end })

-- True for a table whose keys are exactly "t" and "v" (a time line point).
local function is_point(v)
	if v.t == nil or v.v == nil then
		return false
	end
	local k = next(v)
	return next(v, next(v, k)) == nil
end

-- JSON in the layout of sysdig's encoder (dkjson with indent): members on
-- their own lines, two blanks per level; keys sorted; empty tables are [].
local function encode(v, level, out)
	local t = type(v)
	if t == "table" then
		if #v > 0 or next(v) == nil then
			out[#out + 1] = "["
			for i, e in ipairs(v) do
				if i > 1 then
					out[#out + 1] = ","
				end
				encode(e, level + 1, out)
			end
			out[#out + 1] = "]"
		elseif is_point(v) then
			-- a time line point (most of the document): its two keys in order
			local pad = PADS[level + 1]
			out[#out + 1] = "{" .. pad .. '"t":'
			encode(v.t, level + 1, out)
			out[#out + 1] = "," .. pad .. '"v":'
			encode(v.v, level + 1, out)
			out[#out + 1] = PADS[level] .. "}"
		else
			out[#out + 1] = "{"
			local pad = PADS[level + 1]
			for i, k in ipairs(common.sorted_keys(v, function(a, b) return tostring(a) < tostring(b) end)) do
				out[#out + 1] = (i > 1 and "," or "") .. pad .. common.json_string(tostring(k)) .. ":"
				encode(v[k], level + 1, out)
			end
			out[#out + 1] = PADS[level] .. "}"
		end
	elseif t == "string" then
		out[#out + 1] = common.json_string(v)
	elseif t == "number" then
		out[#out + 1] = (v ~= v or v == math.huge or v == -math.huge) and "null" or tostring(v)
	else
		out[#out + 1] = tostring(v)
	end
end

function on_capture_end(ts_s, ts_ns, delta)
	if duration == nil then
		-- second run, with the sample count and the capture's duration
		sysdig.run_app('-r "' .. sysdig.get_evtsource_name() .. '" -c wsysdig_summary ' .. n_timeline .. "," ..
			common.str(delta) .. " " .. sysdig.get_filter())
		return true
	end
	-- the last (partial) sample, without the process and container counts
	add_sample(ts_s, ts_ns)
	local doc = summary(delta)
	if n_timeline ~= 0 and n_timeline ~= N_SAMPLES then
		for _, m in ipairs(doc.metrics) do
			subsample(m.data, n_timeline)
		end
	end
	local out = {}
	encode(doc, 0, out)
	print('{"progress": 100, "data": ' .. table.concat(out) .. "}")
	print("]}")
	return true
end
