-- iobytes: bytes read and written on any fd, once per second.
-- rchisel bundled chisel.

description = "Counts the total bytes read from and written to any type of FD (disk, socket, pipe...) and prints the result every second.";
short_description = "Sum of I/O bytes on any type of FD";
category = "I/O";

args = {}

require("rchisel_io").byte_counter("evt.is_io=true")
