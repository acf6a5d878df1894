-- topprocs_cpu: processes sorted by CPU usage (from procinfo events).
-- rchisel bundled chisel.

description = "Show the top process defined by the highest CPU utilization. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown."
short_description = "Top processes by CPU usage"
category = "CPU Usage"

args = {}

require("rchisel_topn").chisel{
	value = "thread.exectime", value_desc = "CPU%", top = 10, units = "timepct",
	filter = "evt.type=procinfo", cpu_field = "thread.cpu",
	keys = { "proc.name", "proc.pid" }, descs = { "Process", "PID" },
	container_keys = { "proc.name", "proc.pid", "proc.vpid", "container.name" },
	container_descs = { "Process", "Host_pid", "Container_pid", "container.name" },
}
