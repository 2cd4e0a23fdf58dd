//! `bench-dom <recording>...`: the DOM engine's costs on real recordings, for ci/bench: load,
//! state(end) by a straight fold, the seek index build, random seeks through it, and printing.
//! Build with `--release`; times are the median of 5 runs (seeks: 200 random cuts, seeded).

use reprise::dom::{self, SeekIndex};
use reprise::ingest::{self, LoadOptions};
use std::path::Path;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: bench-dom <recording>...");
        std::process::exit(2);
    }
    println!("{:<48} {:>8} {:>9} {:>10} {:>10} {:>9} {:>9} {:>9}", "recording", "frames", "load ms", "end ms", "index ms", "cps", "seek p50", "seek max");
    for p in paths {
        let mut rec = None;
        let load = median((0..3).map(|_| ms(|| rec = Some(ingest::load(Path::new(&p), &LoadOptions::default()).expect("load")))).collect());
        let rec = rec.expect("loaded");
        let end = rec.end().0 + 1.0;
        if std::env::var_os("BENCH_DOM_FOLD_ONLY").is_some() {
            for _ in 0..std::env::var("BENCH_DOM_FOLD_ONLY").ok().and_then(|v| v.parse().ok()).unwrap_or(20) {
                drop(dom::state_at(&rec, end));
            }
            return;
        }
        let fold = (0..7).map(|_| ms(|| drop(dom::state_at(&rec, end)))).fold(f64::MAX, f64::min);
        let dead = rec.frames.iter().filter_map(|f| match &f.data {
            reprise::model::FrameData::Incremental(reprise::model::Incremental::Mutation(m)) => Some(m.adds.iter().filter(|a| a.node.dead_at != u32::MAX).count()),
            _ => None,
        }).sum::<usize>();
        eprintln!("dead adds (skipped by a fold to the end): {dead}");
        let d = dom::state_at(&rec, end);
        eprintln!("arena {} nodes, {} metas-ids", d.arena_len(), d.len());
        let mut index = None;
        let build = ms(|| index = Some(SeekIndex::new(&rec)));
        let index = index.expect("index");
        let (start, dur) = (rec.start().0, rec.duration().0 + 2.0);
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut seeks = Vec::new();
        for _ in 0..200 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let cut = start + (x % 1_000_000) as f64 / 1_000_000.0 * dur;
            seeks.push(ms(|| drop(index.state_at(cut))));
        }
        let max = seeks.iter().cloned().fold(0.0, f64::max);
        let targets: Vec<(i64, reprise::model::Timestamp)> = rec
            .frames
            .iter()
            .filter_map(|f| match &f.data {
                reprise::model::FrameData::Incremental(reprise::model::Incremental::MouseInteraction(m)) => Some((m.id, f.timestamp)),
                reprise::model::FrameData::Incremental(reprise::model::Incremental::Input(i)) => Some((i.id, f.timestamp)),
                _ => None,
            })
            .collect();
        let mut described = 0;
        let resolve = ms(|| {
            let mut r = dom::Resolver::new(&rec);
            described = targets.iter().filter(|(id, t)| r.describe(*id, *t).is_some()).count();
        });
        eprintln!("resolver: {described}/{} interaction targets described in {resolve:.1} ms", targets.len());
        let name = Path::new(&p).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or(p.clone());
        println!(
            "{:<48} {:>8} {:>9.1} {:>10.2} {:>10.1} {:>9} {:>9.2} {:>9.2}",
            name,
            rec.frames.len(),
            load,
            fold,
            build,
            index.checkpoints(),
            median(seeks),
            max
        );
    }
}
