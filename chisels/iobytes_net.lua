-- iobytes_net: network bytes read, written and total, once per second.
-- rchisel bundled chisel.

description = "Counts the total bytes read from and written to the network, and prints the result every second";
short_description = "Show total network I/O bytes";
category = "Net";

args = {}

require("rchisel_io").byte_counter("evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6)")
