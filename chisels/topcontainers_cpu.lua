-- topcontainers_cpu: containers sorted by CPU usage (from procinfo events).
-- rchisel bundled chisel.

description = "Show the top containers defined by the highest CPU utilization."
short_description = "Top containers by CPU usage"
category = "CPU Usage"

args = {}

require("rchisel_topn").chisel{
	value = "thread.exectime", value_desc = "CPU%", top = 10, units = "timepct",
	filter = "evt.type=procinfo", cpu_field = "thread.cpu",
	keys = { "container.name" }, descs = { "container.name" },
}
