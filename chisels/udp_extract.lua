-- udp_extract: the payload of every UDP socket, one file per socket.
-- rchisel bundled chisel. Files go to ./udp_dump_files, named after the
-- socket tuple with ':' as '_' and '>' as '-'.

description = "This chisel parses a trace file, identifies file descriptors carrying UDP network traffic (DNS excluded) and dumps the content of each FD into a different file in the ./udp_dump_files directory. Files are named after the UDP tuple they contain.";
short_description = "extract data from UDP streams to files.";
category = "I/O";

args = {}

local DIR = "./udp_dump_files"
local files = {}
local f = {}

function on_init()
	f.data = chisel.request_field("evt.rawarg.data")
	f.fdname = chisel.request_field("fd.name")
	os.execute("mkdir -p " .. DIR .. " 2> /dev/null")
	sysdig.set_snaplen(16384)
	chisel.set_filter("evt.dir=< and evt.rawres>=0 and fd.l4proto=udp and evt.is_io=true")
	return true
end

function on_capture_start()
	if sysdig.is_live() then
		print("live capture not supported")
		return false
	end
	return true
end

function on_event()
	local name = evt.field(f.fdname)
	local file = files[name]
	if file == nil then
		local path = string.gsub(string.gsub(DIR .. "/" .. name, ":", "_"), ">", "-")
		file = io.open(path, "w")
		files[name] = file
	end
	file:write(evt.field(f.data))
	return true
end

function on_capture_end()
	for _, file in pairs(files) do
		file:close()
	end
end
