//! The field catalog: every field's name, class, type, argument rules and
//! description, in the order `-l` lists them.

/// Field value types (sysdig's PT_* names as `-l -v` shows them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FType {
    Int8, Int16, Int32, Int64, Uint8, Uint16, Uint32, Uint64, CharBuf, ByteBuf, Errno,
    SockAddr, SockTuple, Fd, Pid, FdList, FsPath, SyscallId, SigType, RelTime, AbsTime, Port,
    L4Proto, SockFamily, Bool, Ipv4Addr, Dyn, Flags8, Flags16, Flags32, Uid, Gid, Double,
    SigSet, CharBufArray, Ipv4Net, Ipv6Addr, Ipv6Net, IpAddr, IpNet, Mode,
}

impl FType {
    /// Upper-case name as `-l -v` prints it.
    pub fn name(self) -> &'static str {
        use FType::*;
        match self {
            Int8 => "INT8", Int16 => "INT16", Int32 => "INT32", Int64 => "INT64", Uint8 => "UINT8",
            Uint16 => "UINT16", Uint32 => "UINT32", Uint64 => "UINT64", CharBuf => "CHARBUF",
            ByteBuf => "BYTEBUF", Errno => "ERRNO", SockAddr => "SOCKADDR", SockTuple => "SOCKTUPLE",
            Fd => "FD", Pid => "PID", FdList => "FDLIST", FsPath => "FSPATH", SyscallId => "SYSCALLID",
            SigType => "SIGTYPE", RelTime => "RELTIME", AbsTime => "ABSTIME", Port => "PORT",
            L4Proto => "L4PROTO", SockFamily => "SOCKFAMILY", Bool => "BOOL", Ipv4Addr => "IPV4ADDR",
            Dyn => "DYNAMIC", Flags8 => "FLAGS8", Flags16 => "FLAGS16", Flags32 => "FLAGS32",
            Uid => "UID", Gid => "GID", Double => "DOUBLE", SigSet => "SIGSET",
            CharBufArray => "CHARBUFARRAY", Ipv4Net => "IPV4NET", Ipv6Addr => "IPV6ADDR",
            Ipv6Net => "IPV6NET", IpAddr => "IPADDR", IpNet => "IPNET", Mode => "MODE",
        }
    }

    /// True for numeric types (printed as JSON numbers, compared numerically).
    pub fn is_numeric(self) -> bool {
        use FType::*;
        matches!(
            self,
            Int8 | Int16 | Int32 | Int64 | Uint8 | Uint16 | Uint32 | Uint64 | Errno | Fd | Pid
                | SyscallId | SigType | RelTime | AbsTime | Port | L4Proto | SockFamily | Flags8
                | Flags16 | Flags32 | Uid | Gid | Double | Mode | Bool
        )
    }
}

/// Bit flags describing a field's argument and listing rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldFlags(pub u32);

impl FieldFlags {
    pub const NONE: FieldFlags = FieldFlags(0);
    /// Takes an optional argument.
    pub const ARG_ALLOWED: FieldFlags = FieldFlags(1);
    /// Requires an argument.
    pub const ARG_REQUIRED: FieldFlags = FieldFlags(2);
    /// The argument may follow a dot (`evt.arg.fd`).
    pub const ARG_DOT: FieldFlags = FieldFlags(4);
    /// The argument is a name.
    pub const ARG_NAME: FieldFlags = FieldFlags(8);
    /// The argument is a number.
    pub const ARG_INDEX: FieldFlags = FieldFlags(16);
    /// Filter-only (not shown by `-l` unless verbose).
    pub const FILTER_ONLY: FieldFlags = FieldFlags(32);
    /// Hidden from `-l`.
    pub const HIDDEN: FieldFlags = FieldFlags(64);

    /// True when every bit of `o` is set.
    pub const fn contains(self, o: FieldFlags) -> bool {
        self.0 & o.0 == o.0
    }

    /// Union.
    pub const fn or(self, o: FieldFlags) -> FieldFlags {
        FieldFlags(self.0 | o.0)
    }
}

/// A field class as `-l` shows it: name, heading, description.
pub struct Class {
    pub name: &'static str,
    pub heading: &'static str,
    pub desc: &'static str,
}

/// One field of the catalog.
#[derive(Debug)]
pub struct FieldDef {
    pub id: Fid,
    pub name: &'static str,
    /// Index into [`CLASSES`].
    pub class: usize,
    pub ftype: FType,
    pub flags: FieldFlags,
    pub desc: &'static str,
}

macro_rules! catalog {
    ($( $id:ident $class:literal $name:literal $ty:ident [$($fl:ident)|*] $desc:literal ;)*) => {
        /// Identifies a field of the catalog.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Fid { $($id),* }

        /// Every field, in listing order.
        pub static FIELDS: &[FieldDef] = &[
            $(FieldDef {
                id: Fid::$id,
                name: $name,
                class: $class,
                ftype: FType::$ty,
                flags: FieldFlags(0 $(| FieldFlags::$fl.0)*),
                desc: $desc,
            }),*
        ];
    };
}

/// The field classes, in listing order.
pub static CLASSES: &[Class] = &[
    Class { name: "evt", heading: "evt (All event types)", desc: "These fields can be used for all event types" },
    Class {
        name: "evt",
        heading: "evt (Syscall events only)",
        desc: "Event fields applicable to syscall events. Note that for most events you can access the individual arguments/parameters of each syscall via evt.arg, e.g. evt.arg.filename.",
    },
    Class {
        name: "process",
        heading: "process",
        desc: "Additional information about the process and thread executing the syscall event.",
    },
    Class { name: "user", heading: "user", desc: "Information about the user executing the specific event." },
    Class { name: "group", heading: "group", desc: "Information about the user group." },
    Class {
        name: "container",
        heading: "container",
        desc: "Container information. If the event is not happening inside a container, both id and name will be set to 'host'.",
    },
    Class {
        name: "fd",
        heading: "fd",
        desc: "Every syscall that has a file descriptor in its arguments has these fields set with information related to the file.",
    },
    Class {
        name: "fdlist",
        heading: "fdlist",
        desc: "Poll event related fields.",
    },
];

catalog! {
    EvtNum 0 "evt.num" Uint64 [] "event number.";
    EvtTime 0 "evt.time" CharBuf [] "event timestamp as a time string that includes the nanosecond part.";
    EvtTimeS 0 "evt.time.s" CharBuf [] "event timestamp as a time string with no nanoseconds.";
    EvtTimeIso 0 "evt.time.iso8601" CharBuf [] "event timestamp in ISO 8601 format, including nanoseconds and time zone offset (in UTC).";
    EvtDatetime 0 "evt.datetime" CharBuf [] "event timestamp as a time string that includes the date.";
    EvtDatetimeS 0 "evt.datetime.s" CharBuf [] "event timestamp as a datetime string with no nanoseconds.";
    EvtRawtime 0 "evt.rawtime" AbsTime [] "absolute event timestamp, i.e. nanoseconds from epoch.";
    EvtRawtimeS 0 "evt.rawtime.s" AbsTime [] "integer part of the event timestamp (e.g. seconds since epoch).";
    EvtRawtimeNs 0 "evt.rawtime.ns" AbsTime [] "fractional part of the absolute event timestamp.";
    EvtReltime 0 "evt.reltime" RelTime [] "number of nanoseconds from the beginning of the capture.";
    EvtReltimeS 0 "evt.reltime.s" RelTime [] "number of seconds from the beginning of the capture.";
    EvtReltimeNs 0 "evt.reltime.ns" RelTime [] "fractional part (in ns) of the time from the beginning of the capture.";
    EvtLatency 1 "evt.latency" RelTime [] "delta between an exit event and the correspondent enter event, in nanoseconds.";
    EvtLatencyS 1 "evt.latency.s" RelTime [] "integer part of the event latency delta.";
    EvtLatencyNs 1 "evt.latency.ns" RelTime [] "fractional part of the event latency delta.";
    EvtLatencyHuman 1 "evt.latency.human" CharBuf [] "delta between an exit event and the correspondent enter event, as a human readable string (e.g. 10.3ms).";
    EvtDeltatime 1 "evt.deltatime" RelTime [] "delta between this event and the previous event, in nanoseconds.";
    EvtDeltatimeS 1 "evt.deltatime.s" RelTime [] "integer part of the delta between this event and the previous event.";
    EvtDeltatimeNs 1 "evt.deltatime.ns" RelTime [] "fractional part of the delta between this event and the previous event.";
    EvtOutputtime 1 "evt.outputtime" CharBuf [HIDDEN] "event timestamp as printed by the default output (depends on -t).";
    EvtDir 1 "evt.dir" CharBuf [] "event direction can be either '>' for enter events or '<' for exit events.";
    EvtType 1 "evt.type" CharBuf [] "The name of the event (e.g. 'open').";
    EvtTypeIs 1 "evt.type.is" Uint32 [ARG_REQUIRED|ARG_DOT|ARG_NAME] "allows one to specify an event type, and returns 1 for events that are of that type. For example, evt.type.is.open returns 1 for open events, 0 for any other event.";
    SyscallType 1 "syscall.type" CharBuf [] "For system call events, the name of the system call (e.g. 'open'). Unset for other events (e.g. switch or internal events). Use this field instead of evt.type if you need to make sure that the filtered/printed value is actually a system call.";
    EvtCategory 1 "evt.category" CharBuf [] "The event category. Example values are 'file' (for file operations like open and close), 'net' (for network operations like socket and bind), memory (for things like brk or mmap), and so on.";
    EvtCpu 1 "evt.cpu" Int16 [] "number of the CPU where this event happened.";
    EvtArgs 1 "evt.args" CharBuf [] "all the event arguments, aggregated into a single string.";
    EvtArg 1 "evt.arg" CharBuf [ARG_REQUIRED|ARG_DOT|ARG_NAME|ARG_INDEX] "one of the event arguments specified by name or by number. Some events (e.g. return codes or FDs) will be converted into a text representation when possible. E.g. 'evt.arg.fd' or 'evt.arg[0]'.";
    EvtRawarg 1 "evt.rawarg" Dyn [ARG_REQUIRED|ARG_DOT|ARG_NAME] "one of the event arguments specified by name. E.g. 'evt.rawarg.fd'.";
    EvtInfo 1 "evt.info" CharBuf [] "for most events, this field returns the same value as evt.args. However, for some events (like writes to /dev/log) it provides higher level information coming from decoding the arguments.";
    EvtBuffer 1 "evt.buffer" ByteBuf [] "the binary data buffer for events that have one, like read(), recvfrom(), etc. Use this field in filters with 'contains' to search into I/O data buffers.";
    EvtBuflen 1 "evt.buflen" Uint64 [] "the length of the binary data buffer for events that have one, like read(), recvfrom(), etc.";
    EvtRes 1 "evt.res" CharBuf [] "event return value, as a string. If the event failed, the result is an error code string (e.g. 'ENOENT'), otherwise the result is the string 'SUCCESS'.";
    EvtRawres 1 "evt.rawres" Int64 [] "event return value, as a number (e.g. -2). Useful for range comparisons.";
    EvtFailed 1 "evt.failed" Bool [] "'true' for events that returned an error status.";
    EvtIsIo 1 "evt.is_io" Bool [] "'true' for events that read or write to FDs, like read(), send, recvfrom(), etc.";
    EvtIsIoRead 1 "evt.is_io_read" Bool [] "'true' for events that read from FDs, like read(), recv(), recvfrom(), etc.";
    EvtIsIoWrite 1 "evt.is_io_write" Bool [] "'true' for events that write to FDs, like write(), send(), etc.";
    EvtIoDir 1 "evt.io_dir" CharBuf [] "'r' for events that read from FDs, like read(); 'w' for events that write to FDs, like write().";
    EvtIsWait 1 "evt.is_wait" Bool [] "'true' for events that make the thread wait, e.g. sleep(), select(), poll().";
    EvtWaitLatency 1 "evt.wait_latency" RelTime [] "for events that make the thread wait (e.g. sleep(), select(), poll()), this is the time spent waiting for the event to return, in nanoseconds.";
    EvtIsSyslog 1 "evt.is_syslog" Bool [] "'true' for events that are writes to /dev/log.";
    EvtCount 1 "evt.count" Uint32 [] "This filter field always returns 1.";
    EvtCountError 1 "evt.count.error" Uint32 [] "This filter field returns 1 for events that returned with an error.";
    EvtCountErrorFile 1 "evt.count.error.file" Uint32 [] "This filter field returns 1 for events that returned with an error and are related to file I/O.";
    EvtCountErrorNet 1 "evt.count.error.net" Uint32 [] "This filter field returns 1 for events that returned with an error and are related to network I/O.";
    EvtCountErrorMemory 1 "evt.count.error.memory" Uint32 [] "This filter field returns 1 for events that returned with an error and are related to memory allocation.";
    EvtCountErrorOther 1 "evt.count.error.other" Uint32 [] "This filter field returns 1 for events that returned with an error and are related to none of the previous categories.";
    EvtCountExit 1 "evt.count.exit" Uint32 [] "This filter field returns 1 for exit events.";
    EvtAbspath 1 "evt.abspath" CharBuf [ARG_ALLOWED|ARG_DOT|ARG_NAME] "Absolute path calculated from dirfd and name during syscalls like renameat and symlinkat. Use 'evt.abspath.src' or 'evt.abspath.dst' for syscalls that support multiple paths.";
    EvtIsOpenRead 1 "evt.is_open_read" Bool [] "'true' for open/openat/openat2 events where the path was opened for reading";
    EvtIsOpenWrite 1 "evt.is_open_write" Bool [] "'true' for open/openat/openat2 events where the path was opened for writing";
    EvtIsOpenExec 1 "evt.is_open_exec" Bool [] "'true' for open/openat/openat2 or creat events where a file is created with execute permissions";

    ProcPid 2 "proc.pid" Int64 [] "the id of the process generating the event.";
    ProcExe 2 "proc.exe" CharBuf [] "the first command line argument (usually the executable name or a custom one).";
    ProcName 2 "proc.name" CharBuf [] "the name (excluding the path) of the executable generating the event.";
    ProcArgs 2 "proc.args" CharBuf [] "the arguments passed on the command line when starting the process generating the event.";
    ProcEnv 2 "proc.env" CharBuf [] "the environment variables of the process generating the event.";
    ProcCmdline 2 "proc.cmdline" CharBuf [] "full process command line, i.e. proc.name + proc.args.";
    ProcExeline 2 "proc.exeline" CharBuf [] "full process command line, with exe as first argument, i.e. proc.exe + proc.args.";
    ProcCwd 2 "proc.cwd" CharBuf [] "the current working directory of the event.";
    ProcNthreads 2 "proc.nthreads" Uint32 [] "the number of alive threads that the process generating the event currently has, including the leader thread. Please note that the leader thread may not be here, in that case 'proc.nthreads' and 'proc.nchilds' are equal";
    ProcNchilds 2 "proc.nchilds" Uint32 [] "the number of alive (not leader) threads that the process generating the event currently has. This excludes the leader thread.";
    ProcPpid 2 "proc.ppid" Int64 [] "the pid of the parent of the process generating the event.";
    ProcPname 2 "proc.pname" CharBuf [] "the name (excluding the path) of the parent of the process generating the event.";
    ProcPcmdline 2 "proc.pcmdline" CharBuf [] "the full command line (proc.name + proc.args) of the parent of the process generating the event.";
    ProcApid 2 "proc.apid" Int64 [ARG_ALLOWED|ARG_INDEX] "the pid of one of the process ancestors. E.g. proc.apid[1] returns the parent pid, proc.apid[2] returns the grandparent pid, and so on. proc.apid[0] is the pid of the current process. proc.apid without arguments can be used in filters only and matches any of the process ancestors, e.g. proc.apid=1234.";
    ProcAname 2 "proc.aname" CharBuf [ARG_ALLOWED|ARG_INDEX] "the name (excluding the path) of one of the process ancestors. E.g. proc.aname[1] returns the parent name, proc.aname[2] returns the grandparent name, and so on. proc.aname[0] is the name of the current process. proc.aname without arguments can be used in filters only and matches any of the process ancestors, e.g. proc.aname=bash.";
    ProcLoginshellid 2 "proc.loginshellid" Int64 [] "the pid of the oldest shell among the ancestors of the current process, if there is one. This field can be used to separate different user sessions, and is useful in conjunction with chisels like spy_user.";
    ProcDuration 2 "proc.duration" RelTime [] "number of nanoseconds since the process started.";
    ProcFdopencount 2 "proc.fdopencount" Uint64 [] "number of open FDs for the process";
    ProcFdlimit 2 "proc.fdlimit" Int64 [] "maximum number of FDs the process can open.";
    ProcFdusage 2 "proc.fdusage" Double [] "the ratio between open FDs and maximum available FDs for the process.";
    ProcVmsize 2 "proc.vmsize" Uint64 [] "total virtual memory for the process (as kb).";
    ProcVmrss 2 "proc.vmrss" Uint64 [] "resident non-swapped memory for the process (as kb).";
    ProcVmswap 2 "proc.vmswap" Uint64 [] "swapped memory for the process (as kb).";
    ThreadPfmajor 2 "thread.pfmajor" Uint64 [] "number of major page faults since thread start.";
    ThreadPfminor 2 "thread.pfminor" Uint64 [] "number of minor page faults since thread start.";
    ThreadTid 2 "thread.tid" Int64 [] "the id of the thread generating the event.";
    ThreadIsmain 2 "thread.ismain" Bool [] "'true' if the thread generating the event is the main one in the process.";
    ThreadExectime 2 "thread.exectime" RelTime [] "CPU time spent by the last scheduled thread, in nanoseconds. Exported by switch events only.";
    ThreadTotexectime 2 "thread.totexectime" RelTime [] "Total CPU time, in nanoseconds since the beginning of the capture, for the current thread. Exported by switch events only.";
    ThreadCgroups 2 "thread.cgroups" CharBuf [] "all the cgroups the thread belongs to, aggregated into a single string.";
    ThreadCgroup 2 "thread.cgroup" CharBuf [ARG_REQUIRED|ARG_DOT|ARG_NAME] "the cgroup the thread belongs to, for a specific subsystem. E.g. thread.cgroup.cpuacct.";
    ThreadVtid 2 "thread.vtid" Int64 [] "the id of the thread generating the event as seen from its current PID namespace.";
    ProcVpid 2 "proc.vpid" Int64 [] "the id of the process generating the event as seen from its current PID namespace.";
    ThreadCpu 2 "thread.cpu" Double [] "the CPU consumed by the thread in the last second.";
    ThreadCpuUser 2 "thread.cpu.user" Double [] "the user CPU consumed by the thread in the last second.";
    ThreadCpuSystem 2 "thread.cpu.system" Double [] "the system CPU consumed by the thread in the last second.";
    ThreadVmsize 2 "thread.vmsize" Uint64 [] "For the process main thread, this is the total virtual memory for the process (as kb). For the other threads, this field is zero.";
    ThreadVmrss 2 "thread.vmrss" Uint64 [] "For the process main thread, this is the resident non-swapped memory for the process (as kb). For the other threads, this field is zero.";
    ProcSid 2 "proc.sid" Int64 [] "the session id of the process generating the event.";
    ProcSname 2 "proc.sname" CharBuf [] "the name of the current process's session leader. This is either the process with pid=proc.sid or the eldest ancestor that has the same sid as the current process.";
    ProcTty 2 "proc.tty" Int32 [] "The controlling terminal of the process. 0 for processes without a terminal.";
    ProcExepath 2 "proc.exepath" CharBuf [] "The full executable path of the process.";
    ProcVpgid 2 "proc.vpgid" Int64 [] "the process group id of the process generating the event, as seen from its current PID namespace.";
    ProcIsExeWritable 2 "proc.is_exe_writable" Bool [] "true if this process' executable file is writable by the same user that spawned the process.";

    UserUid 3 "user.uid" Uint32 [] "user ID.";
    UserName 3 "user.name" CharBuf [] "user name.";
    UserHomedir 3 "user.homedir" CharBuf [] "home directory of the user.";
    UserShell 3 "user.shell" CharBuf [] "user's shell.";
    UserLoginuid 3 "user.loginuid" Int64 [] "audit user id (auid).";
    UserLoginname 3 "user.loginname" CharBuf [] "audit user name (auid).";
    GroupGid 4 "group.gid" Uint64 [] "group ID.";
    GroupName 4 "group.name" CharBuf [] "group name.";
    ContainerId 5 "container.id" CharBuf [] "the container id.";
    ContainerName 5 "container.name" CharBuf [] "the container name.";
    ContainerImage 5 "container.image" CharBuf [] "the container image name (e.g. falcosecurity/falco:latest for docker).";
    ContainerType 5 "container.type" CharBuf [] "the container type, eg: docker or rkt";

    FdNum 6 "fd.num" Int64 [] "the unique number identifying the file descriptor.";
    FdType 6 "fd.type" CharBuf [] "type of FD. Can be 'file', 'directory', 'ipv4', 'ipv6', 'unix', 'pipe', 'event', 'signalfd', 'eventpoll', 'inotify' or 'signalfd'.";
    FdTypechar 6 "fd.typechar" CharBuf [] "type of FD as a single character. Can be 'f' for file, 4 for IPv4 socket, 6 for IPv6 socket, 'u' for unix socket, p for pipe, 'e' for eventfd, 's' for signalfd, 'l' for eventpoll, 'i' for inotify, 'o' for unknown.";
    FdName 6 "fd.name" CharBuf [] "FD full name. If the fd is a file, this field contains the full path. If the FD is a socket, this field contain the connection tuple.";
    FdDirectory 6 "fd.directory" CharBuf [] "If the fd is a file, the directory that contains it.";
    FdFilename 6 "fd.filename" CharBuf [] "If the fd is a file, the filename without the path.";
    FdIp 6 "fd.ip" IpAddr [FILTER_ONLY] "matches the ip address (client or server) of the fd.";
    FdCip 6 "fd.cip" IpAddr [] "client IP address.";
    FdSip 6 "fd.sip" IpAddr [] "server IP address.";
    FdLip 6 "fd.lip" IpAddr [] "local IP address.";
    FdRip 6 "fd.rip" IpAddr [] "remote IP address.";
    FdPort 6 "fd.port" Port [FILTER_ONLY] "matches the port (either client or server) of the fd.";
    FdCport 6 "fd.cport" Port [] "for TCP/UDP FDs, the client port.";
    FdSport 6 "fd.sport" Port [] "for TCP/UDP FDs, server port.";
    FdLport 6 "fd.lport" Port [] "for TCP/UDP FDs, the local port.";
    FdRport 6 "fd.rport" Port [] "for TCP/UDP FDs, the remote port.";
    FdL4proto 6 "fd.l4proto" CharBuf [] "the IP protocol of a socket. Can be 'tcp', 'udp', 'icmp' or 'raw'.";
    FdSockfamily 6 "fd.sockfamily" CharBuf [] "the socket family for socket events. Can be 'ip' or 'unix'.";
    FdIsServer 6 "fd.is_server" Bool [] "'true' if the process owning this FD is the server endpoint in the connection.";
    FdUid 6 "fd.uid" CharBuf [] "a unique identifier for the FD, created by chaining the FD number and the thread ID.";
    FdContainername 6 "fd.containername" CharBuf [] "chaining of the container ID and the FD name. Useful when trying to identify which container an FD belongs to.";
    FdContainerdirectory 6 "fd.containerdirectory" CharBuf [] "chaining of the container ID and the directory name. Useful when trying to identify which container a directory belongs to.";
    FdProto 6 "fd.proto" Port [FILTER_ONLY] "matches the protocol (either client or server) of the fd.";
    FdCproto 6 "fd.cproto" CharBuf [] "for TCP/UDP FDs, the client protocol.";
    FdSproto 6 "fd.sproto" CharBuf [] "for TCP/UDP FDs, server protocol.";
    FdLproto 6 "fd.lproto" CharBuf [] "for TCP/UDP FDs, the local protocol.";
    FdRproto 6 "fd.rproto" CharBuf [] "for TCP/UDP FDs, the remote protocol.";
    FdNet 6 "fd.net" IpNet [FILTER_ONLY] "matches the IP network (client or server) of the fd.";
    FdCnet 6 "fd.cnet" IpNet [FILTER_ONLY] "matches the client IP network of the fd.";
    FdSnet 6 "fd.snet" IpNet [FILTER_ONLY] "matches the server IP network of the fd.";
    FdLnet 6 "fd.lnet" IpNet [FILTER_ONLY] "matches the local IP network of the fd.";
    FdRnet 6 "fd.rnet" IpNet [FILTER_ONLY] "matches the remote IP network of the fd.";
    FdConnected 6 "fd.connected" Bool [] "for TCP/UDP FDs, 'true' if the socket is connected.";
    FdNameChanged 6 "fd.name_changed" Bool [] "True when an event changes the name of an fd used by this event. This can occur in some cases such as udp connections where the connection tuple changes.";
    FdDev 6 "fd.dev" Uint32 [] "device number (major/minor) containing the referenced file";
    FdDevMajor 6 "fd.dev.major" Uint32 [] "major device number containing the referenced file";
    FdDevMinor 6 "fd.dev.minor" Uint32 [] "minor device number containing the referenced file";
    FdlistNums 7 "fdlist.nums" CharBuf [] "for poll events, this is a comma-separated list of the FD numbers in the 'fds' argument, returned as a string.";
    FdlistNames 7 "fdlist.names" CharBuf [] "for poll events, this is a comma-separated list of the FD names in the 'fds' argument, returned as a string.";
    FdlistCips 7 "fdlist.cips" CharBuf [] "for poll events, this is a comma-separated list of the client IP addresses in the 'fds' argument, returned as a string.";
    FdlistSips 7 "fdlist.sips" CharBuf [] "for poll events, this is a comma-separated list of the server IP addresses in the 'fds' argument, returned as a string.";
    FdlistCports 7 "fdlist.cports" CharBuf [] "for TCP/UDP FDs, for poll events, this is a comma-separated list of the client TCP/UDP ports in the 'fds' argument, returned as a string.";
    FdlistSports 7 "fdlist.sports" CharBuf [] "for poll events, this is a comma-separated list of the server TCP/UDP ports in the 'fds' argument, returned as a string.";
}
