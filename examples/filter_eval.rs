//! Times one filter evaluation on one event, everything hot: isolates the
//! filter's per-check cost from reading and state.
//!
//!     cargo run --release --example filter_eval -- CAPTURE FILTER [EVENT_NUM]
use std::process::ExitCode;
use std::time::Instant;

use rchisel::fields::{EvalCtx, Registry, Scratch};
use rchisel::filter::Filter;
use rchisel::source::scap::ScapReader;
use rchisel::source::{Item, Source};
use rchisel::state::State;

const ROUNDS: u32 = 10_000_000;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, path, text, rest @ ..] = args.as_slice() else {
        eprintln!("usage: filter_eval CAPTURE FILTER [EVENT_NUM]");
        return ExitCode::from(2);
    };
    let at: u64 = rest.first().and_then(|n| n.parse().ok()).unwrap_or(500);
    let filter = match Filter::new(text, Registry::get()) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut r = match ScapReader::open(std::path::Path::new(path)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let (mut st, mut scratch, mut n) = (State::new(), Scratch::default(), 0u64);
    while let Ok(Some(item)) = r.next_item() {
        let mut ev = match item {
            Item::Event(ev) => ev,
            Item::Record(rec) => {
                st.apply_record(rec);
                continue;
            }
        };
        n += 1;
        ev.num = n;
        let meta = st.process(&ev);
        if n == at {
            let t = Instant::now();
            let mut hits = 0u32;
            for _ in 0..ROUNDS {
                hits += filter.matches(&mut EvalCtx::new(&ev, &meta, &st, &mut scratch, 0)) as u32;
            }
            println!("{:?} per evaluation on event {n} ({}; matched {hits} times)", t.elapsed() / ROUNDS, ev.name());
            return ExitCode::SUCCESS;
        }
    }
    eprintln!("{path}: fewer than {at} events");
    ExitCode::from(1)
}
