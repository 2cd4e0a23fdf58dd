//! `bench-ingest <ingest|value|rss> <file> [repeat]`: one measurement for `ci/bench`, printed as
//! JSON. `ingest` times reprise's ingest + normalize on the (already decompressed) JSON bytes;
//! `value` times a bare `serde_json::Value` parse of the same bytes. Each mode runs in its own
//! process so that the peak RSS (VmHWM) belongs to that mode alone. `rss` loads the file once
//! from disk as `reprise events` does (read, inflate, ingest, release the raw JSON, normalize)
//! and reports only the peak RSS:
//! the timing modes hold extra copies of the input, so their peak overstates reprise's own.

use std::io::Read;
use std::time::Instant;

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (mode, file) = (args.get(1).expect("mode"), args.get(2).expect("file"));
    let repeat: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(3);
    if mode == "rss" {
        let mut rec = reprise::ingest::load(std::path::Path::new(file), &Default::default()).expect("ingest");
        // As `reprise events` does unless --raw: the original JSON is not needed to normalize.
        rec.release_raw();
        let events = reprise::events::normalize(&rec);
        let detail = format!("{} frames, {} events", rec.frames.len(), events.len());
        drop((rec, events));
        println!("{{\"mode\":\"rss\",\"peak_rss_kib\":{},\"detail\":\"{detail}\"}}", peak_rss_kib());
        return;
    }
    let raw = std::fs::read(file).expect("read");
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut out).expect("gunzip");
        out
    } else {
        raw
    };
    let baseline = peak_rss_kib();
    let mut times = Vec::new();
    let mut detail = String::new();
    for _ in 0..repeat {
        let input = bytes.clone();
        let t = Instant::now();
        match mode.as_str() {
            "ingest" => {
                let rec = reprise::ingest::load_bytes(input, file, &Default::default()).expect("ingest");
                let events = reprise::events::normalize(&rec);
                detail = format!("{} frames, {} events", rec.frames.len(), events.len());
                std::hint::black_box((rec, events));
            }
            "value" => {
                let v: serde_json::Value = serde_json::from_slice(&input).expect("parse");
                std::hint::black_box(v);
            }
            other => panic!("unknown mode {other}"),
        }
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let mb = bytes.len() as f64 / 1e6;
    println!(
        "{{\"mode\":\"{mode}\",\"mb\":{mb:.3},\"median_s\":{median:.4},\"mb_per_s\":{:.1},\"peak_rss_kib\":{},\"input_kib\":{},\"baseline_rss_kib\":{baseline},\"detail\":\"{detail}\"}}",
        mb / median,
        peak_rss_kib(),
        bytes.len() / 1024
    );
}
