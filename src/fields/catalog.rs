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

/// How a numeric field is printed (libsinsp's `PF_*` print formats).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PFmt {
    /// PF_NA: no numeric format (8/16/32-bit unsigned values print nothing).
    Na,
    /// PF_DEC.
    Dec,
    /// PF_HEX (upper-case hex for signed and 64-bit types).
    Hex,
    /// PF_ID: decimal.
    Id,
    /// PF_10_PADDED_DEC: zero-padded to 9 digits.
    Padded,
    /// PF_DIR.
    Dir,
    /// PF_OCT.
    Oct,
}

/// Bit flags of a field (libsinsp's `EPF_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldFlags(pub u32);

impl FieldFlags {
    /// No flag.
    pub const NONE: FieldFlags = FieldFlags(0);
    /// EPF_FILTER_ONLY: usable in filters only; listed with "(FILTER ONLY)".
    pub const FILTER_ONLY: FieldFlags = FieldFlags(1);
    /// EPF_TABLE_ONLY: usable but not listed by `-l`.
    pub const TABLE_ONLY: FieldFlags = FieldFlags(2);
    /// EPF_PRINT_ONLY: output formats only; never listed.
    pub const PRINT_ONLY: FieldFlags = FieldFlags(4);
    /// EPF_REQUIRES_ARGUMENT.
    pub const REQUIRES_ARG: FieldFlags = FieldFlags(8);

    /// True when every bit of `o` is set.
    pub const fn contains(self, o: FieldFlags) -> bool {
        self.0 & o.0 == o.0
    }

    /// Union.
    pub const fn or(self, o: FieldFlags) -> FieldFlags {
        FieldFlags(self.0 | o.0)
    }
}

/// A field class as `-l` shows it.
pub struct Class {
    /// Class name (`evt`, `process`, `fd`...).
    pub name: &'static str,
    /// Short description shown in parentheses after the name (may be empty).
    pub shortdesc: &'static str,
    /// Class description.
    pub desc: &'static str,
    /// Hidden classes are not listed.
    pub hidden: bool,
}

/// One field of the catalog.
#[derive(Debug)]
pub struct FieldDef {
    /// The field's identity.
    pub id: Fid,
    /// Full name, e.g. `proc.name`.
    pub name: &'static str,
    /// Index into [`CLASSES`].
    pub class: usize,
    /// Declared value type.
    pub ftype: FType,
    /// Print format of numeric values.
    pub pfmt: PFmt,
    /// EPF_* flags.
    pub flags: FieldFlags,
    /// Description as `-l` lists it.
    pub desc: &'static str,
}

macro_rules! catalog {
    ($( $id:ident $class:literal $name:literal $ty:ident $pf:ident [$($fl:ident)|*] $desc:literal ;)*) => {
        /// Identifies a field of the catalog.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Fid { $($id),* }

        /// Every field, in listing order (the order of sysdig 0.29.3's filterchecks).
        pub static FIELDS: &[FieldDef] = &[
            $(FieldDef {
                id: Fid::$id,
                name: $name,
                class: $class,
                ftype: FType::$ty,
                pfmt: PFmt::$pf,
                flags: FieldFlags(0 $(| FieldFlags::$fl.0)*),
                desc: $desc,
            }),*
        ];
    };
}

/// The field classes, in listing order.
pub static CLASSES: &[Class] = &[
    Class { name: "evt", shortdesc: "All event types", desc: "These fields can be used for all event types", hidden: false },
    Class { name: "evt", shortdesc: "Syscall events only", desc: "Event fields applicable to syscall events. Note that for most events you can access the individual arguments/parameters of each syscall via evt.arg, e.g. evt.arg.filename.", hidden: false },
    Class { name: "process", shortdesc: "", desc: "Additional information about the process and thread executing the syscall event.", hidden: false },
    Class { name: "user", shortdesc: "", desc: "Information about the user executing the specific event.", hidden: false },
    Class { name: "group", shortdesc: "", desc: "Information about the user group.", hidden: false },
    Class { name: "container", shortdesc: "", desc: "Container information. If the event is not happening inside a container, both id and name will be set to 'host'.", hidden: false },
    Class { name: "fd", shortdesc: "", desc: "Every syscall that has a file descriptor in its arguments has these fields set with information related to the file.", hidden: false },
    Class { name: "syslog", shortdesc: "", desc: "Content of Syslog messages.", hidden: false },
    Class { name: "util", shortdesc: "", desc: "", hidden: true },
    Class { name: "fdlist", shortdesc: "", desc: "Poll event related fields.", hidden: false },
    Class { name: "k8s", shortdesc: "", desc: "Kubernetes related context. Available when configured to fetch k8s meta-data from API Server.", hidden: false },
    Class { name: "mesos", shortdesc: "", desc: "Mesos related context.", hidden: false },
    Class { name: "span", shortdesc: "", desc: "Fields used if information about distributed tracing is available.", hidden: false },
    Class { name: "evtin", shortdesc: "", desc: "Fields used if information about distributed tracing is available.", hidden: false },
];

catalog! {
    EvtNum 0 "evt.num" Uint64 Id [] "event number.";
    EvtTime 0 "evt.time" CharBuf Na [] "event timestamp as a time string that includes the nanosecond part.";
    EvtTimeS 0 "evt.time.s" CharBuf Na [] "event timestamp as a time string with no nanoseconds.";
    EvtTimeIso8601 0 "evt.time.iso8601" CharBuf Na [] "event timestamp in ISO 8601 format, including nanoseconds and time zone offset (in UTC).";
    EvtDatetime 0 "evt.datetime" CharBuf Na [] "event timestamp as a time string that includes the date.";
    EvtDatetimeS 0 "evt.datetime.s" CharBuf Na [] "event timestamp as a datetime string with no nanoseconds.";
    EvtRawtime 0 "evt.rawtime" AbsTime Dec [] "absolute event timestamp, i.e. nanoseconds from epoch.";
    EvtRawtimeS 0 "evt.rawtime.s" AbsTime Dec [] "integer part of the event timestamp (e.g. seconds since epoch).";
    EvtRawtimeNs 0 "evt.rawtime.ns" AbsTime Padded [] "fractional part of the absolute event timestamp.";
    EvtReltime 0 "evt.reltime" RelTime Padded [] "number of nanoseconds from the beginning of the capture.";
    EvtReltimeS 0 "evt.reltime.s" RelTime Dec [] "number of seconds from the beginning of the capture.";
    EvtReltimeNs 0 "evt.reltime.ns" RelTime Padded [] "fractional part (in ns) of the time from the beginning of the capture.";
    EvtPluginname 0 "evt.pluginname" CharBuf Na [] "if the event comes from a plugin, the name of the plugin that generated it. The plugin must be currently loaded.";
    EvtPlugininfo 0 "evt.plugininfo" CharBuf Na [] "if the event comes from a plugin, a summary of the event as formatted by the plugin. The plugin must be currently loaded.";
    EvtLatency 1 "evt.latency" RelTime Dec [] "delta between an exit event and the correspondent enter event, in nanoseconds.";
    EvtLatencyS 1 "evt.latency.s" RelTime Dec [] "integer part of the event latency delta.";
    EvtLatencyNs 1 "evt.latency.ns" RelTime Padded [] "fractional part of the event latency delta.";
    EvtLatencyQuantized 1 "evt.latency.quantized" Uint64 Dec [TABLE_ONLY] "10-base log of the delta between an exit event and the correspondent enter event.";
    EvtLatencyHuman 1 "evt.latency.human" CharBuf Na [] "delta between an exit event and the correspondent enter event, as a human readable string (e.g. 10.3ms).";
    EvtDeltatime 1 "evt.deltatime" RelTime Dec [] "delta between this event and the previous event, in nanoseconds.";
    EvtDeltatimeS 1 "evt.deltatime.s" RelTime Dec [] "integer part of the delta between this event and the previous event.";
    EvtDeltatimeNs 1 "evt.deltatime.ns" RelTime Padded [] "fractional part of the delta between this event and the previous event.";
    EvtOutputtime 1 "evt.outputtime" CharBuf Na [PRINT_ONLY] "this depends on -t param, default is %evt.time ('h').";
    EvtDir 1 "evt.dir" CharBuf Dir [] "event direction can be either '>' for enter events or '<' for exit events.";
    EvtType 1 "evt.type" CharBuf Na [] "The name of the event (e.g. 'open').";
    EvtTypeIs 1 "evt.type.is" Uint32 Na [REQUIRES_ARG] "allows one to specify an event type, and returns 1 for events that are of that type. For example, evt.type.is.open returns 1 for open events, 0 for any other event.";
    SyscallType 1 "syscall.type" CharBuf Na [] "For system call events, the name of the system call (e.g. 'open'). Unset for other events (e.g. switch or internal events). Use this field instead of evt.type if you need to make sure that the filtered/printed value is actually a system call.";
    EvtCategory 1 "evt.category" CharBuf Na [] "The event category. Example values are 'file' (for file operations like open and close), 'net' (for network operations like socket and bind), memory (for things like brk or mmap), and so on.";
    EvtCpu 1 "evt.cpu" Int16 Id [] "number of the CPU where this event happened.";
    EvtArgs 1 "evt.args" CharBuf Na [] "all the event arguments, aggregated into a single string.";
    EvtArg 1 "evt.arg" CharBuf Na [REQUIRES_ARG] "one of the event arguments specified by name or by number. Some events (e.g. return codes or FDs) will be converted into a text representation when possible. E.g. 'evt.arg.fd' or 'evt.arg[0]'.";
    EvtRawarg 1 "evt.rawarg" Dyn Na [REQUIRES_ARG] "one of the event arguments specified by name. E.g. 'evt.rawarg.fd'.";
    EvtInfo 1 "evt.info" CharBuf Na [] "for most events, this field returns the same value as evt.args. However, for some events (like writes to /dev/log) it provides higher level information coming from decoding the arguments.";
    EvtBuffer 1 "evt.buffer" ByteBuf Na [] "the binary data buffer for events that have one, like read(), recvfrom(), etc. Use this field in filters with 'contains' to search into I/O data buffers.";
    EvtBuflen 1 "evt.buflen" Uint64 Dec [] "the length of the binary data buffer for events that have one, like read(), recvfrom(), etc.";
    EvtRes 1 "evt.res" CharBuf Dec [] "event return value, as a string. If the event failed, the result is an error code string (e.g. 'ENOENT'), otherwise the result is the string 'SUCCESS'.";
    EvtRawres 1 "evt.rawres" Int64 Dec [] "event return value, as a number (e.g. -2). Useful for range comparisons.";
    EvtFailed 1 "evt.failed" Bool Na [] "'true' for events that returned an error status.";
    EvtIsIo 1 "evt.is_io" Bool Na [] "'true' for events that read or write to FDs, like read(), send, recvfrom(), etc.";
    EvtIsIoRead 1 "evt.is_io_read" Bool Na [] "'true' for events that read from FDs, like read(), recv(), recvfrom(), etc.";
    EvtIsIoWrite 1 "evt.is_io_write" Bool Na [] "'true' for events that write to FDs, like write(), send(), etc.";
    EvtIoDir 1 "evt.io_dir" CharBuf Na [] "'r' for events that read from FDs, like read(); 'w' for events that write to FDs, like write().";
    EvtIsWait 1 "evt.is_wait" Bool Na [] "'true' for events that make the thread wait, e.g. sleep(), select(), poll().";
    EvtWaitLatency 1 "evt.wait_latency" RelTime Dec [] "for events that make the thread wait (e.g. sleep(), select(), poll()), this is the time spent waiting for the event to return, in nanoseconds.";
    EvtIsSyslog 1 "evt.is_syslog" Bool Na [] "'true' for events that are writes to /dev/log.";
    EvtCount 1 "evt.count" Uint32 Dec [] "This filter field always returns 1 and can be used to count events from inside chisels.";
    EvtCountError 1 "evt.count.error" Uint32 Dec [] "This filter field returns 1 for events that returned with an error, and can be used to count event failures from inside chisels.";
    EvtCountErrorFile 1 "evt.count.error.file" Uint32 Dec [] "This filter field returns 1 for events that returned with an error and are related to file I/O, and can be used to count event failures from inside chisels.";
    EvtCountErrorNet 1 "evt.count.error.net" Uint32 Dec [] "This filter field returns 1 for events that returned with an error and are related to network I/O, and can be used to count event failures from inside chisels.";
    EvtCountErrorMemory 1 "evt.count.error.memory" Uint32 Dec [] "This filter field returns 1 for events that returned with an error and are related to memory allocation, and can be used to count event failures from inside chisels.";
    EvtCountErrorOther 1 "evt.count.error.other" Uint32 Dec [] "This filter field returns 1 for events that returned with an error and are related to none of the previous categories, and can be used to count event failures from inside chisels.";
    EvtCountExit 1 "evt.count.exit" Uint32 Dec [] "This filter field returns 1 for exit events, and can be used to count single events from inside chisels.";
    EvtCountProcinfo 1 "evt.count.procinfo" Uint32 Dec [TABLE_ONLY] "This filter field returns 1 for procinfo events generated by process main threads, and can be used to count processes from inside views.";
    EvtCountThreadinfo 1 "evt.count.threadinfo" Uint32 Dec [TABLE_ONLY] "This filter field returns 1 for procinfo events, and can be used to count processes from inside views.";
    EvtAround 1 "evt.around" Uint64 Dec [FILTER_ONLY|REQUIRES_ARG] "Accepts the event if it's around the specified time interval. The syntax is evt.around[T]=D, where T is the value returned by %evt.rawtime for the event and D is a delta in milliseconds. For example, evt.around[1404996934793590564]=1000 will return the events with timestamp with one second before the timestamp and one second after it, for a total of two seconds of capture.";
    EvtAbspath 1 "evt.abspath" CharBuf Na [REQUIRES_ARG] "Absolute path calculated from dirfd and name during syscalls like renameat and symlinkat. Use 'evt.abspath.src' or 'evt.abspath.dst' for syscalls that support multiple paths.";
    EvtBuflenIn 1 "evt.buflen.in" Uint64 Dec [TABLE_ONLY] "the length of the binary data buffer, but only for input I/O events.";
    EvtBuflenOut 1 "evt.buflen.out" Uint64 Dec [TABLE_ONLY] "the length of the binary data buffer, but only for output I/O events.";
    EvtBuflenFile 1 "evt.buflen.file" Uint64 Dec [TABLE_ONLY] "the length of the binary data buffer, but only for file I/O events.";
    EvtBuflenFileIn 1 "evt.buflen.file.in" Uint64 Dec [TABLE_ONLY] "the length of the binary data buffer, but only for input file I/O events.";
    EvtBuflenFileOut 1 "evt.buflen.file.out" Uint64 Dec [TABLE_ONLY] "the length of the binary data buffer, but only for output file I/O events.";
    EvtBuflenNet 1 "evt.buflen.net" Uint64 Dec [TABLE_ONLY] "the length of the binary data buffer, but only for network I/O events.";
    EvtBuflenNetIn 1 "evt.buflen.net.in" Uint64 Dec [TABLE_ONLY] "the length of the binary data buffer, but only for input network I/O events.";
    EvtBuflenNetOut 1 "evt.buflen.net.out" Uint64 Dec [TABLE_ONLY] "the length of the binary data buffer, but only for output network I/O events.";
    EvtIsOpenRead 1 "evt.is_open_read" Bool Na [] "'true' for open/openat/openat2 events where the path was opened for reading";
    EvtIsOpenWrite 1 "evt.is_open_write" Bool Na [] "'true' for open/openat/openat2 events where the path was opened for writing";
    EvtInfraDockerName 1 "evt.infra.docker.name" CharBuf Na [TABLE_ONLY] "for docker infrastructure events, the name of the event.";
    EvtInfraDockerContainerId 1 "evt.infra.docker.container.id" CharBuf Na [TABLE_ONLY] "for docker infrastructure events, the id of the impacted container.";
    EvtInfraDockerContainerName 1 "evt.infra.docker.container.name" CharBuf Na [TABLE_ONLY] "for docker infrastructure events, the name of the impacted container.";
    EvtInfraDockerContainerImage 1 "evt.infra.docker.container.image" CharBuf Na [TABLE_ONLY] "for docker infrastructure events, the image name of the impacted container.";
    EvtIsOpenExec 1 "evt.is_open_exec" Bool Na [] "'true' for open/openat/openat2 or creat events where a file is created with execute permissions";
    ProcPid 2 "proc.pid" Int64 Id [] "the id of the process generating the event.";
    ProcExe 2 "proc.exe" CharBuf Na [] "the first command line argument (usually the executable name or a custom one).";
    ProcName 2 "proc.name" CharBuf Na [] "the name (excluding the path) of the executable generating the event.";
    ProcArgs 2 "proc.args" CharBuf Na [] "the arguments passed on the command line when starting the process generating the event.";
    ProcEnv 2 "proc.env" CharBuf Na [] "the environment variables of the process generating the event.";
    ProcCmdline 2 "proc.cmdline" CharBuf Na [] "full process command line, i.e. proc.name + proc.args.";
    ProcExeline 2 "proc.exeline" CharBuf Na [] "full process command line, with exe as first argument, i.e. proc.exe + proc.args.";
    ProcCwd 2 "proc.cwd" CharBuf Na [] "the current working directory of the event.";
    ProcNthreads 2 "proc.nthreads" Uint32 Dec [] "the number of threads that the process generating the event currently has, including the main process thread.";
    ProcNchilds 2 "proc.nchilds" Uint32 Dec [] "the number of child threads that the process generating the event currently has. This excludes the main process thread.";
    ProcPpid 2 "proc.ppid" Int64 Id [] "the pid of the parent of the process generating the event.";
    ProcPname 2 "proc.pname" CharBuf Na [] "the name (excluding the path) of the parent of the process generating the event.";
    ProcPcmdline 2 "proc.pcmdline" CharBuf Na [] "the full command line (proc.name + proc.args) of the parent of the process generating the event.";
    ProcApid 2 "proc.apid" Int64 Id [] "the pid of one of the process ancestors. E.g. proc.apid[1] returns the parent pid, proc.apid[2] returns the grandparent pid, and so on. proc.apid[0] is the pid of the current process. proc.apid without arguments can be used in filters only and matches any of the process ancestors, e.g. proc.apid=1234.";
    ProcAname 2 "proc.aname" CharBuf Na [] "the name (excluding the path) of one of the process ancestors. E.g. proc.aname[1] returns the parent name, proc.aname[2] returns the grandparent name, and so on. proc.aname[0] is the name of the current process. proc.aname without arguments can be used in filters only and matches any of the process ancestors, e.g. proc.aname=bash.";
    ProcLoginshellid 2 "proc.loginshellid" Int64 Id [] "the pid of the oldest shell among the ancestors of the current process, if there is one. This field can be used to separate different user sessions, and is useful in conjunction with chisels like spy_user.";
    ProcDuration 2 "proc.duration" RelTime Dec [] "number of nanoseconds since the process started.";
    ProcFdopencount 2 "proc.fdopencount" Uint64 Dec [] "number of open FDs for the process";
    ProcFdlimit 2 "proc.fdlimit" Int64 Dec [] "maximum number of FDs the process can open.";
    ProcFdusage 2 "proc.fdusage" Double Dec [] "the ratio between open FDs and maximum available FDs for the process.";
    ProcVmsize 2 "proc.vmsize" Uint64 Dec [] "total virtual memory for the process (as kb).";
    ProcVmrss 2 "proc.vmrss" Uint64 Dec [] "resident non-swapped memory for the process (as kb).";
    ProcVmswap 2 "proc.vmswap" Uint64 Dec [] "swapped memory for the process (as kb).";
    ThreadPfmajor 2 "thread.pfmajor" Uint64 Dec [] "number of major page faults since thread start.";
    ThreadPfminor 2 "thread.pfminor" Uint64 Dec [] "number of minor page faults since thread start.";
    ThreadTid 2 "thread.tid" Int64 Id [] "the id of the thread generating the event.";
    ThreadIsmain 2 "thread.ismain" Bool Na [] "'true' if the thread generating the event is the main one in the process.";
    ThreadExectime 2 "thread.exectime" RelTime Dec [] "CPU time spent by the last scheduled thread, in nanoseconds. Exported by switch events only.";
    ThreadTotexectime 2 "thread.totexectime" RelTime Dec [] "Total CPU time, in nanoseconds since the beginning of the capture, for the current thread. Exported by switch events only.";
    ThreadCgroups 2 "thread.cgroups" CharBuf Na [] "all the cgroups the thread belongs to, aggregated into a single string.";
    ThreadCgroup 2 "thread.cgroup" CharBuf Na [REQUIRES_ARG] "the cgroup the thread belongs to, for a specific subsystem. E.g. thread.cgroup.cpuacct.";
    ThreadVtid 2 "thread.vtid" Int64 Id [] "the id of the thread generating the event as seen from its current PID namespace.";
    ProcVpid 2 "proc.vpid" Int64 Id [] "the id of the process generating the event as seen from its current PID namespace.";
    ThreadCpu 2 "thread.cpu" Double Na [] "the CPU consumed by the thread in the last second.";
    ThreadCpuUser 2 "thread.cpu.user" Double Na [] "the user CPU consumed by the thread in the last second.";
    ThreadCpuSystem 2 "thread.cpu.system" Double Na [] "the system CPU consumed by the thread in the last second.";
    ThreadVmsize 2 "thread.vmsize" Uint64 Dec [] "For the process main thread, this is the total virtual memory for the process (as kb). For the other threads, this field is zero.";
    ThreadVmrss 2 "thread.vmrss" Uint64 Dec [] "For the process main thread, this is the resident non-swapped memory for the process (as kb). For the other threads, this field is zero.";
    ThreadVmsizeB 2 "thread.vmsize.b" Uint64 Dec [TABLE_ONLY] "For the process main thread, this is the total virtual memory for the process (in bytes). For the other threads, this field is zero.";
    ThreadVmrssB 2 "thread.vmrss.b" Uint64 Dec [TABLE_ONLY] "For the process main thread, this is the resident non-swapped memory for the process (in bytes). For the other threads, this field is zero.";
    ProcSid 2 "proc.sid" Int64 Id [] "the session id of the process generating the event.";
    ProcSname 2 "proc.sname" CharBuf Na [] "the name of the current process's session leader. This is either the process with pid=proc.sid or the eldest ancestor that has the same sid as the current process.";
    ProcTty 2 "proc.tty" Int32 Id [] "The controlling terminal of the process. 0 for processes without a terminal.";
    ProcExepath 2 "proc.exepath" CharBuf Na [] "The full executable path of the process.";
    ThreadNametid 2 "thread.nametid" CharBuf Na [TABLE_ONLY] "this field chains the process name and tid of a thread and can be used as a specific identifier of a thread for a specific execve.";
    ProcVpgid 2 "proc.vpgid" Int64 Id [] "the process group id of the process generating the event, as seen from its current PID namespace.";
    ProcIsContainerHealthcheck 2 "proc.is_container_healthcheck" Bool Na [] "true if this process is running as a part of the container's health check.";
    ProcIsContainerLivenessProbe 2 "proc.is_container_liveness_probe" Bool Na [] "true if this process is running as a part of the container's liveness probe.";
    ProcIsContainerReadinessProbe 2 "proc.is_container_readiness_probe" Bool Na [] "true if this process is running as a part of the container's readiness probe.";
    ProcIsExeWritable 2 "proc.is_exe_writable" Bool Na [] "true if this process' executable file is writable by the same user that spawned the process.";
    UserUid 3 "user.uid" Uint32 Id [] "user ID.";
    UserName 3 "user.name" CharBuf Na [] "user name.";
    UserHomedir 3 "user.homedir" CharBuf Na [] "home directory of the user.";
    UserShell 3 "user.shell" CharBuf Na [] "user's shell.";
    UserLoginuid 3 "user.loginuid" Int32 Id [] "audit user id (auid).";
    UserLoginname 3 "user.loginname" CharBuf Na [] "audit user name (auid).";
    GroupGid 4 "group.gid" Uint64 Id [] "group ID.";
    GroupName 4 "group.name" CharBuf Na [] "group name.";
    ContainerId 5 "container.id" CharBuf Na [] "the container id.";
    ContainerName 5 "container.name" CharBuf Na [] "the container name.";
    ContainerImage 5 "container.image" CharBuf Na [] "the container image name (e.g. falcosecurity/falco:latest for docker).";
    ContainerImageId 5 "container.image.id" CharBuf Na [] "the container image id (e.g. 6f7e2741b66b).";
    ContainerType 5 "container.type" CharBuf Na [] "the container type, eg: docker or rkt";
    ContainerPrivileged 5 "container.privileged" Bool Na [] "true for containers running as privileged, false otherwise";
    ContainerMounts 5 "container.mounts" CharBuf Na [] "A space-separated list of mount information. Each item in the list has the format <source>:<dest>:<mode>:<rdrw>:<propagation>";
    ContainerMount 5 "container.mount" CharBuf Na [REQUIRES_ARG] "Information about a single mount, specified by number (e.g. container.mount[0]) or mount source (container.mount[/usr/local]). The pathname can be a glob (container.mount[/usr/local/*]), in which case the first matching mount will be returned. The information has the format <source>:<dest>:<mode>:<rdrw>:<propagation>. If there is no mount with the specified index or matching the provided source, returns the string \"none\" instead of a NULL value.";
    ContainerMountSource 5 "container.mount.source" CharBuf Na [REQUIRES_ARG] "the mount source, specified by number (e.g. container.mount.source[0]) or mount destination (container.mount.source[/host/lib/modules]). The pathname can be a glob.";
    ContainerMountDest 5 "container.mount.dest" CharBuf Na [REQUIRES_ARG] "the mount destination, specified by number (e.g. container.mount.dest[0]) or mount source (container.mount.dest[/lib/modules]). The pathname can be a glob.";
    ContainerMountMode 5 "container.mount.mode" CharBuf Na [REQUIRES_ARG] "the mount mode, specified by number (e.g. container.mount.mode[0]) or mount source (container.mount.mode[/usr/local]). The pathname can be a glob.";
    ContainerMountRdwr 5 "container.mount.rdwr" CharBuf Na [REQUIRES_ARG] "the mount rdwr value, specified by number (e.g. container.mount.rdwr[0]) or mount source (container.mount.rdwr[/usr/local]). The pathname can be a glob.";
    ContainerMountPropagation 5 "container.mount.propagation" CharBuf Na [REQUIRES_ARG] "the mount propagation value, specified by number (e.g. container.mount.propagation[0]) or mount source (container.mount.propagation[/usr/local]). The pathname can be a glob.";
    ContainerImageRepository 5 "container.image.repository" CharBuf Na [] "the container image repository (e.g. falcosecurity/falco).";
    ContainerImageTag 5 "container.image.tag" CharBuf Na [] "the container image tag (e.g. stable, latest).";
    ContainerImageDigest 5 "container.image.digest" CharBuf Na [] "the container image registry digest (e.g. sha256:d977378f890d445c15e51795296e4e5062f109ce6da83e0a355fc4ad8699d27).";
    ContainerHealthcheck 5 "container.healthcheck" CharBuf Na [] "The container's health check. Will be the null value (\"N/A\") if no healthcheck configured, \"NONE\" if configured but explicitly not created, and the healthcheck command line otherwise";
    ContainerLivenessProbe 5 "container.liveness_probe" CharBuf Na [] "The container's liveness probe. Will be the null value (\"N/A\") if no liveness probe configured, the liveness probe command line otherwise";
    ContainerReadinessProbe 5 "container.readiness_probe" CharBuf Na [] "The container's readiness probe. Will be the null value (\"N/A\") if no readiness probe configured, the readiness probe command line otherwise";
    FdNum 6 "fd.num" Int64 Id [] "the unique number identifying the file descriptor.";
    FdType 6 "fd.type" CharBuf Dec [] "type of FD. Can be 'file', 'directory', 'ipv4', 'ipv6', 'unix', 'pipe', 'event', 'signalfd', 'eventpoll', 'inotify' or 'signalfd'.";
    FdTypechar 6 "fd.typechar" CharBuf Dec [] "type of FD as a single character. Can be 'f' for file, 4 for IPv4 socket, 6 for IPv6 socket, 'u' for unix socket, p for pipe, 'e' for eventfd, 's' for signalfd, 'l' for eventpoll, 'i' for inotify, 'o' for unknown.";
    FdName 6 "fd.name" CharBuf Na [] "FD full name. If the fd is a file, this field contains the full path. If the FD is a socket, this field contain the connection tuple.";
    FdDirectory 6 "fd.directory" CharBuf Na [] "If the fd is a file, the directory that contains it.";
    FdFilename 6 "fd.filename" CharBuf Na [] "If the fd is a file, the filename without the path.";
    FdIp 6 "fd.ip" IpAddr Na [FILTER_ONLY] "matches the ip address (client or server) of the fd.";
    FdCip 6 "fd.cip" IpAddr Na [] "client IP address.";
    FdSip 6 "fd.sip" IpAddr Na [] "server IP address.";
    FdLip 6 "fd.lip" IpAddr Na [] "local IP address.";
    FdRip 6 "fd.rip" IpAddr Na [] "remote IP address.";
    FdPort 6 "fd.port" Port Dec [FILTER_ONLY] "matches the port (either client or server) of the fd.";
    FdCport 6 "fd.cport" Port Dec [] "for TCP/UDP FDs, the client port.";
    FdSport 6 "fd.sport" Port Dec [] "for TCP/UDP FDs, server port.";
    FdLport 6 "fd.lport" Port Dec [] "for TCP/UDP FDs, the local port.";
    FdRport 6 "fd.rport" Port Dec [] "for TCP/UDP FDs, the remote port.";
    FdL4proto 6 "fd.l4proto" CharBuf Na [] "the IP protocol of a socket. Can be 'tcp', 'udp', 'icmp' or 'raw'.";
    FdSockfamily 6 "fd.sockfamily" CharBuf Na [] "the socket family for socket events. Can be 'ip' or 'unix'.";
    FdIsServer 6 "fd.is_server" Bool Na [] "'true' if the process owning this FD is the server endpoint in the connection.";
    FdUid 6 "fd.uid" CharBuf Na [] "a unique identifier for the FD, created by chaining the FD number and the thread ID.";
    FdContainername 6 "fd.containername" CharBuf Na [] "chaining of the container ID and the FD name. Useful when trying to identify which container an FD belongs to.";
    FdContainerdirectory 6 "fd.containerdirectory" CharBuf Na [] "chaining of the container ID and the directory name. Useful when trying to identify which container a directory belongs to.";
    FdProto 6 "fd.proto" Port Na [FILTER_ONLY] "matches the protocol (either client or server) of the fd.";
    FdCproto 6 "fd.cproto" CharBuf Na [] "for TCP/UDP FDs, the client protocol.";
    FdSproto 6 "fd.sproto" CharBuf Na [] "for TCP/UDP FDs, server protocol.";
    FdLproto 6 "fd.lproto" CharBuf Na [] "for TCP/UDP FDs, the local protocol.";
    FdRproto 6 "fd.rproto" CharBuf Na [] "for TCP/UDP FDs, the remote protocol.";
    FdNet 6 "fd.net" IpNet Na [FILTER_ONLY] "matches the IP network (client or server) of the fd.";
    FdCnet 6 "fd.cnet" IpNet Na [FILTER_ONLY] "matches the client IP network of the fd.";
    FdSnet 6 "fd.snet" IpNet Na [FILTER_ONLY] "matches the server IP network of the fd.";
    FdLnet 6 "fd.lnet" IpNet Na [FILTER_ONLY] "matches the local IP network of the fd.";
    FdRnet 6 "fd.rnet" IpNet Na [FILTER_ONLY] "matches the remote IP network of the fd.";
    FdConnected 6 "fd.connected" Bool Na [] "for TCP/UDP FDs, 'true' if the socket is connected.";
    FdNameChanged 6 "fd.name_changed" Bool Na [] "True when an event changes the name of an fd used by this event. This can occur in some cases such as udp connections where the connection tuple changes.";
    FdCipName 6 "fd.cip.name" CharBuf Na [] "Domain name associated with the client IP address.";
    FdSipName 6 "fd.sip.name" CharBuf Na [] "Domain name associated with the server IP address.";
    FdLipName 6 "fd.lip.name" CharBuf Na [] "Domain name associated with the local IP address.";
    FdRipName 6 "fd.rip.name" CharBuf Na [] "Domain name associated with the remote IP address.";
    FdDev 6 "fd.dev" Int32 Hex [] "device number (major/minor) containing the referenced file";
    FdDevMajor 6 "fd.dev.major" Int32 Dec [] "major device number containing the referenced file";
    FdDevMinor 6 "fd.dev.minor" Int32 Dec [] "minor device number containing the referenced file";
    SyslogFacilityStr 7 "syslog.facility.str" CharBuf Na [] "facility as a string.";
    SyslogFacility 7 "syslog.facility" Uint32 Dec [] "facility as a number (0-23).";
    SyslogSeverityStr 7 "syslog.severity.str" CharBuf Na [] "severity as a string. Can have one of these values: emerg, alert, crit, err, warn, notice, info, debug";
    SyslogSeverity 7 "syslog.severity" Uint32 Dec [] "severity as a number (0-7).";
    SyslogMessage 7 "syslog.message" CharBuf Na [] "message sent to syslog.";
    UtilCnt 8 "util.cnt" Uint64 Id [] "incremental counter.";
    FdlistNums 9 "fdlist.nums" CharBuf Id [] "for poll events, this is a comma-separated list of the FD numbers in the 'fds' argument, returned as a string.";
    FdlistNames 9 "fdlist.names" CharBuf Na [] "for poll events, this is a comma-separated list of the FD names in the 'fds' argument, returned as a string.";
    FdlistCips 9 "fdlist.cips" CharBuf Na [] "for poll events, this is a comma-separated list of the client IP addresses in the 'fds' argument, returned as a string.";
    FdlistSips 9 "fdlist.sips" CharBuf Na [] "for poll events, this is a comma-separated list of the server IP addresses in the 'fds' argument, returned as a string.";
    FdlistCports 9 "fdlist.cports" CharBuf Dec [] "for TCP/UDP FDs, for poll events, this is a comma-separated list of the client TCP/UDP ports in the 'fds' argument, returned as a string.";
    FdlistSports 9 "fdlist.sports" CharBuf Dec [] "for poll events, this is a comma-separated list of the server TCP/UDP ports in the 'fds' argument, returned as a string.";
    K8sPodName 10 "k8s.pod.name" CharBuf Na [] "Kubernetes pod name.";
    K8sPodId 10 "k8s.pod.id" CharBuf Na [] "Kubernetes pod id.";
    K8sPodLabel 10 "k8s.pod.label" CharBuf Na [REQUIRES_ARG] "Kubernetes pod label. E.g. 'k8s.pod.label.foo'.";
    K8sPodLabels 10 "k8s.pod.labels" CharBuf Na [] "Kubernetes pod comma-separated key/value labels. E.g. 'foo1:bar1,foo2:bar2'.";
    K8sRcName 10 "k8s.rc.name" CharBuf Na [] "Kubernetes replication controller name.";
    K8sRcId 10 "k8s.rc.id" CharBuf Na [] "Kubernetes replication controller id.";
    K8sRcLabel 10 "k8s.rc.label" CharBuf Na [REQUIRES_ARG] "Kubernetes replication controller label. E.g. 'k8s.rc.label.foo'.";
    K8sRcLabels 10 "k8s.rc.labels" CharBuf Na [] "Kubernetes replication controller comma-separated key/value labels. E.g. 'foo1:bar1,foo2:bar2'.";
    K8sSvcName 10 "k8s.svc.name" CharBuf Na [] "Kubernetes service name (can return more than one value, concatenated).";
    K8sSvcId 10 "k8s.svc.id" CharBuf Na [] "Kubernetes service id (can return more than one value, concatenated).";
    K8sSvcLabel 10 "k8s.svc.label" CharBuf Na [REQUIRES_ARG] "Kubernetes service label. E.g. 'k8s.svc.label.foo' (can return more than one value, concatenated).";
    K8sSvcLabels 10 "k8s.svc.labels" CharBuf Na [] "Kubernetes service comma-separated key/value labels. E.g. 'foo1:bar1,foo2:bar2'.";
    K8sNsName 10 "k8s.ns.name" CharBuf Na [] "Kubernetes namespace name.";
    K8sNsId 10 "k8s.ns.id" CharBuf Na [] "Kubernetes namespace id.";
    K8sNsLabel 10 "k8s.ns.label" CharBuf Na [REQUIRES_ARG] "Kubernetes namespace label. E.g. 'k8s.ns.label.foo'.";
    K8sNsLabels 10 "k8s.ns.labels" CharBuf Na [] "Kubernetes namespace comma-separated key/value labels. E.g. 'foo1:bar1,foo2:bar2'.";
    K8sRsName 10 "k8s.rs.name" CharBuf Na [] "Kubernetes replica set name.";
    K8sRsId 10 "k8s.rs.id" CharBuf Na [] "Kubernetes replica set id.";
    K8sRsLabel 10 "k8s.rs.label" CharBuf Na [REQUIRES_ARG] "Kubernetes replica set label. E.g. 'k8s.rs.label.foo'.";
    K8sRsLabels 10 "k8s.rs.labels" CharBuf Na [] "Kubernetes replica set comma-separated key/value labels. E.g. 'foo1:bar1,foo2:bar2'.";
    K8sDeploymentName 10 "k8s.deployment.name" CharBuf Na [] "Kubernetes deployment name.";
    K8sDeploymentId 10 "k8s.deployment.id" CharBuf Na [] "Kubernetes deployment id.";
    K8sDeploymentLabel 10 "k8s.deployment.label" CharBuf Na [REQUIRES_ARG] "Kubernetes deployment label. E.g. 'k8s.rs.label.foo'.";
    K8sDeploymentLabels 10 "k8s.deployment.labels" CharBuf Na [] "Kubernetes deployment comma-separated key/value labels. E.g. 'foo1:bar1,foo2:bar2'.";
    MesosTaskName 11 "mesos.task.name" CharBuf Na [] "Mesos task name.";
    MesosTaskId 11 "mesos.task.id" CharBuf Na [] "Mesos task id.";
    MesosTaskLabel 11 "mesos.task.label" CharBuf Na [REQUIRES_ARG] "Mesos task label. E.g. 'mesos.task.label.foo'.";
    MesosTaskLabels 11 "mesos.task.labels" CharBuf Na [] "Mesos task comma-separated key/value labels. E.g. 'foo1:bar1,foo2:bar2'.";
    MesosFrameworkName 11 "mesos.framework.name" CharBuf Na [] "Mesos framework name.";
    MesosFrameworkId 11 "mesos.framework.id" CharBuf Na [] "Mesos framework id.";
    MarathonAppName 11 "marathon.app.name" CharBuf Na [] "Marathon app name.";
    MarathonAppId 11 "marathon.app.id" CharBuf Na [] "Marathon app id.";
    MarathonAppLabel 11 "marathon.app.label" CharBuf Na [REQUIRES_ARG] "Marathon app label. E.g. 'marathon.app.label.foo'.";
    MarathonAppLabels 11 "marathon.app.labels" CharBuf Na [] "Marathon app comma-separated key/value labels. E.g. 'foo1:bar1,foo2:bar2'.";
    MarathonGroupName 11 "marathon.group.name" CharBuf Na [] "Marathon group name.";
    MarathonGroupId 11 "marathon.group.id" CharBuf Na [] "Marathon group id.";
    SpanId 12 "span.id" Int64 Id [] "ID of the span. This is a unique identifier that is used to match the enter and exit tracer events for this span. It can also be used to match different spans belonging to a trace.";
    SpanTime 12 "span.time" CharBuf Na [] "time of the span's enter tracer as a human readable string that includes the nanosecond part.";
    SpanNtags 12 "span.ntags" Uint32 Dec [] "number of tags that this span has.";
    SpanNargs 12 "span.nargs" Uint32 Dec [] "number of arguments that this span has.";
    SpanTags 12 "span.tags" CharBuf Na [] "dot-separated list of all of the span's tags.";
    SpanTag 12 "span.tag" CharBuf Na [REQUIRES_ARG] "one of the span's tags, specified by 0-based offset, e.g. 'span.tag[1]'. You can use a negative offset to pick elements from the end of the tag list. For example, 'span.tag[-1]' returns the last tag.";
    SpanArgs 12 "span.args" CharBuf Na [] "comma-separated list of the span's arguments.";
    SpanArg 12 "span.arg" CharBuf Na [REQUIRES_ARG] "one of the span arguments, specified by name or by 0-based offset. E.g. 'span.arg.xxx' or 'span.arg[1]'. You can use a negative offset to pick elements from the end of the tag list. For example, 'span.arg[-1]' returns the last argument.";
    SpanEnterargs 12 "span.enterargs" CharBuf Na [] "comma-separated list of the span's enter tracer event arguments. For enter tracers, this is the same as evt.args. For exit tracers, this is the evt.args of the corresponding enter tracer.";
    SpanEnterarg 12 "span.enterarg" CharBuf Na [REQUIRES_ARG] "one of the span's enter arguments, specified by name or by 0-based offset. For enter tracer events, this is the same as evt.arg. For exit tracer events, this is the evt.arg of the corresponding enter event.";
    SpanDuration 12 "span.duration" RelTime Dec [] "delta between this span's exit tracer event and the enter tracer event.";
    SpanDurationQuantized 12 "span.duration.quantized" Uint64 Dec [TABLE_ONLY] "10-base log of the delta between an exit tracer event and the correspondent enter event.";
    SpanDurationHuman 12 "span.duration.human" CharBuf Na [] "delta between this span's exit tracer event and the enter event, as a human readable string (e.g. 10.3ms).";
    SpanDurationFortag 12 "span.duration.fortag" RelTime Dec [TABLE_ONLY|REQUIRES_ARG] "duration of the span if the number of tags matches the field argument, otherwise 0. For example, span.duration.fortag[1] returns the duration of all the spans with 1 tag, and zero for all the other ones.";
    SpanCount 12 "span.count" Uint64 Dec [TABLE_ONLY] "1 for span exit events.";
    SpanCountFortag 12 "span.count.fortag" Uint64 Dec [TABLE_ONLY|REQUIRES_ARG] "1 if the span's number of tags matches the field argument, and zero for all the other ones.";
    SpanChildcountFortag 12 "span.childcount.fortag" Uint64 Dec [TABLE_ONLY|REQUIRES_ARG] "1 if the span's number of tags is greater than the field argument, and zero for all the other ones.";
    SpanIdtag 12 "span.idtag" CharBuf Na [TABLE_ONLY|REQUIRES_ARG] "id used by the span list view.";
    SpanRawtime 12 "span.rawtime" CharBuf Na [TABLE_ONLY] "id used by the span list view.";
    SpanRawparenttime 12 "span.rawparenttime" CharBuf Na [TABLE_ONLY] "id used by the span list view.";
    EvtinSpanId 13 "evtin.span.id" Int64 Id [] "accepts all the events that are between the enter and exit tracers of the spans with the given ID and are generated by the same thread that generated the tracers.";
    EvtinSpanNtags 13 "evtin.span.ntags" Uint32 Dec [] "accepts all the events that are between the enter and exit tracers of the spans with the given number of tags and are generated by the same thread that generated the tracers.";
    EvtinSpanNargs 13 "evtin.span.nargs" Uint32 Dec [] "accepts all the events that are between the enter and exit tracers of the spans with the given number of arguments and are generated by the same thread that generated the tracers.";
    EvtinSpanTags 13 "evtin.span.tags" CharBuf Na [] "accepts all the events that are between the enter and exit tracers of the spans with the given tags and are generated by the same thread that generated the tracers.";
    EvtinSpanTag 13 "evtin.span.tag" CharBuf Na [REQUIRES_ARG] "accepts all the events that are between the enter and exit tracers of the spans with the given tag and are generated by the same thread that generated the tracers. See the description of span.tag for information about the syntax accepted by this field.";
    EvtinSpanArgs 13 "evtin.span.args" CharBuf Na [] "accepts all the events that are between the enter and exit tracers of the spans with the given arguments and are generated by the same thread that generated the tracers.";
    EvtinSpanArg 13 "evtin.span.arg" CharBuf Na [REQUIRES_ARG] "accepts all the events that are between the enter and exit tracers of the spans with the given argument and are generated by the same thread that generated the tracers. See the description of span.arg for information about the syntax accepted by this field.";
    EvtinSpanPId 13 "evtin.span.p.id" Int64 Id [] "same as evtin.span.id, but also accepts events generated by other threads in the same process that produced the span.";
    EvtinSpanPNtags 13 "evtin.span.p.ntags" Uint32 Dec [] "same as evtin.span.ntags, but also accepts events generated by other threads in the same process that produced the span.";
    EvtinSpanPNargs 13 "evtin.span.p.nargs" Uint32 Dec [] "same as evtin.span.nargs, but also accepts events generated by other threads in the same process that produced the span.";
    EvtinSpanPTags 13 "evtin.span.p.tags" CharBuf Na [] "same as evtin.span.tags, but also accepts events generated by other threads in the same process that produced the span.";
    EvtinSpanPTag 13 "evtin.span.p.tag" CharBuf Na [REQUIRES_ARG] "same as evtin.span.tag, but also accepts events generated by other threads in the same process that produced the span.";
    EvtinSpanPArgs 13 "evtin.span.p.args" CharBuf Na [] "same as evtin.span.args, but also accepts events generated by other threads in the same process that produced the span.";
    EvtinSpanPArg 13 "evtin.span.p.arg" CharBuf Na [REQUIRES_ARG] "same as evtin.span.arg, but also accepts events generated by other threads in the same process that produced the span.";
    EvtinSpanSId 13 "evtin.span.s.id" Int64 Id [] "same as evtin.span.id, but also accepts events generated by the script that produced the span, i.e. by the processes whose parent PID is the same as the one of the process generating the span.";
    EvtinSpanSNtags 13 "evtin.span.s.ntags" Uint32 Dec [] "same as evtin.span.id, but also accepts events generated by the script that produced the span, i.e. by the processes whose parent PID is the same as the one of the process generating the span.";
    EvtinSpanSNargs 13 "evtin.span.s.nargs" Uint32 Dec [] "same as evtin.span.id, but also accepts events generated by the script that produced the span, i.e. by the processes whose parent PID is the same as the one of the process generating the span.";
    EvtinSpanSTags 13 "evtin.span.s.tags" CharBuf Na [] "same as evtin.span.id, but also accepts events generated by the script that produced the span, i.e. by the processes whose parent PID is the same as the one of the process generating the span.";
    EvtinSpanSTag 13 "evtin.span.s.tag" CharBuf Na [REQUIRES_ARG] "same as evtin.span.id, but also accepts events generated by the script that produced the span, i.e. by the processes whose parent PID is the same as the one of the process generating the span.";
    EvtinSpanSArgs 13 "evtin.span.s.args" CharBuf Na [] "same as evtin.span.id, but also accepts events generated by the script that produced the span, i.e. by the processes whose parent PID is the same as the one of the process generating the span.";
    EvtinSpanSArg 13 "evtin.span.s.arg" CharBuf Na [REQUIRES_ARG] "same as evtin.span.id, but also accepts events generated by the script that produced the span, i.e. by the processes whose parent PID is the same as the one of the process generating the span.";
    EvtinSpanMId 13 "evtin.span.m.id" Int64 Id [] "same as evtin.span.id, but accepts all the events generated on the machine during the span, including other threads and other processes.";
    EvtinSpanMNtags 13 "evtin.span.m.ntags" Uint32 Dec [] "same as evtin.span.id, but accepts all the events generated on the machine during the span, including other threads and other processes.";
    EvtinSpanMNargs 13 "evtin.span.m.nargs" Uint32 Dec [] "same as evtin.span.id, but accepts all the events generated on the machine during the span, including other threads and other processes.";
    EvtinSpanMTags 13 "evtin.span.m.tags" CharBuf Na [] "same as evtin.span.id, but accepts all the events generated on the machine during the span, including other threads and other processes.";
    EvtinSpanMTag 13 "evtin.span.m.tag" CharBuf Na [REQUIRES_ARG] "same as evtin.span.id, but accepts all the events generated on the machine during the span, including other threads and other processes.";
    EvtinSpanMArgs 13 "evtin.span.m.args" CharBuf Na [] "same as evtin.span.id, but accepts all the events generated on the machine during the span, including other threads and other processes.";
    EvtinSpanMArg 13 "evtin.span.m.arg" CharBuf Na [REQUIRES_ARG] "same as evtin.span.id, but accepts all the events generated on the machine during the span, including other threads and other processes.";
}
