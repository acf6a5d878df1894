-- topprocs_file: processes sorted by file bytes read+written.
-- rchisel bundled chisel.

description = "Shows the top processes in terms of total (in+out) bytes to disk. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown."
short_description = "Top processes by R+W disk bytes"
category = "I/O"

args = {}

require("rchisel_topn").chisel{
	value = "evt.rawarg.res", value_desc = "Bytes", top = 10, units = "bytes",
	filter = "fd.type=file and evt.is_io=true",
	keys = { "proc.name", "proc.pid" }, descs = { "Process", "PID" },
	container_keys = { "proc.name", "proc.pid", "thread.vtid", "container.name" },
	container_descs = { "Process", "Host_pid", "Container_pid", "container.name" },
}
