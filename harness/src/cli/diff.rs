//! `reprise diff`: compare two PNG screenshots pixel by pixel (pixelmatch's algorithm).

use super::exit;
use anyhow::Context;
use clap::{Args as ClapArgs, ValueEnum};
use reprise::compare::{self, png, Background, DiffOptions, DiffReport, DiffStyle, Rect};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Compare two PNG images pixel by pixel, with pixelmatch's algorithm: the same colour metric,
/// threshold and anti-aliasing detection, so the counts agree with pixelmatch 7.
///
/// Exit status: 0 when the images match within the tolerance, 3 when they differ (or their
/// sizes differ), 1 when an image cannot be read or the diff image cannot be written, 2 on
/// usage errors.
///
/// Examples:
///   reprise diff expected.png actual.png
///   reprise diff expected.png actual.png -o diff.png
///   reprise diff a.png b.png --threshold 0.05 --no-aa --json
///   reprise diff a.png b.png --mask 0,0,1280,64 --mask 900,300,200,120
///   reprise diff a.png b.png --max-diff-pixels 20 --max-diff-ratio 0.001
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The expected image (PNG).
    pub a: PathBuf,

    /// The actual image (PNG), compared with the first.
    pub b: PathBuf,

    /// Per-pixel colour tolerance from 0 to 1, a fraction of the largest colour difference;
    /// smaller is stricter. 0.1 is pixelmatch's default.
    #[arg(long, default_value_t = 0.1, value_name = "T", value_parser = fraction)]
    pub threshold: f64,

    /// Turn anti-aliasing detection off: anti-aliased pixels count as differences
    /// (pixelmatch's includeAA).
    #[arg(long)]
    pub no_aa: bool,

    /// A rectangle in pixels (left, top, width, height) painted magenta on both images before
    /// comparing, so nothing under it can differ; repeat for several.
    #[arg(long = "mask", value_name = "X,Y,W,H", allow_hyphen_values = true)]
    pub masks: Vec<Rect>,

    /// Pass with at most this many differing pixels (default 0).
    #[arg(long, value_name = "N")]
    pub max_diff_pixels: Option<u64>,

    /// Pass with at most this fraction (0 to 1) of differing pixels; with --max-diff-pixels
    /// too, both must hold.
    #[arg(long, value_name = "R", value_parser = fraction)]
    pub max_diff_ratio: Option<f64>,

    /// Write the diff image here: the first image in faded grey, differences in red,
    /// anti-aliased pixels in yellow.
    #[arg(short = 'o', long = "output", value_name = "DIFF.PNG")]
    pub output: Option<PathBuf>,

    /// In the diff image, draw only the differences, over a transparent background.
    #[arg(long)]
    pub diff_mask: bool,

    /// What translucent pixels are blended onto before comparing (pixelmatch 7 uses a
    /// checkerboard; older versions, white).
    #[arg(long, value_enum, default_value_t = BackgroundArg::Checkerboard)]
    pub background: BackgroundArg,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackgroundArg {
    Checkerboard,
    White,
}

fn fraction(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("`{s}` is not a number from 0 to 1")),
    }
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    run_to(args, &mut std::io::stdout().lock())
}

fn run_to(args: Args, out: &mut impl Write) -> anyhow::Result<u8> {
    let opts = DiffOptions {
        threshold: args.threshold,
        include_aa: args.no_aa,
        max_diff_pixels: args.max_diff_pixels,
        max_diff_ratio: args.max_diff_ratio,
        masks: args.masks.clone(),
        background: match args.background {
            BackgroundArg::Checkerboard => Background::Checkerboard,
            BackgroundArg::White => Background::White,
        },
        diff_image: args.output.is_some(),
        style: DiffStyle { diff_mask: args.diff_mask, ..DiffStyle::default() },
        ..DiffOptions::default()
    };
    let (a_bytes, b_bytes) = (read(&args.a)?, read(&args.b)?);
    // Decoding dominates on large screenshots, so the two decode side by side; on small ones a
    // thread costs more than it saves.
    let (a, b) = if a_bytes.len() + b_bytes.len() < PARALLEL_DECODE_BYTES {
        (decode(&a_bytes, &args.a), decode(&b_bytes, &args.b))
    } else {
        std::thread::scope(|s| {
            let a = s.spawn(|| decode(&a_bytes, &args.a));
            let b = decode(&b_bytes, &args.b);
            (a.join().expect("PNG decoding does not panic"), b)
        })
    };
    let report = compare::compare(&a?, &b?, &opts);

    let mut written = None;
    if let (Some(path), Some(img)) = (&args.output, &report.diff_image) {
        std::fs::write(path, png::encode(img)).with_context(|| format!("cannot write {}", path.display()))?;
        written = Some(path.as_path());
    }
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &to_json(&args, &opts, &report, written))?;
        writeln!(out)?;
    } else {
        print_text(out, &args, &report, written)?;
    }
    Ok(if report.passed { exit::OK } else { exit::DIFFERENT })
}

/// Compressed input size from which the two images are decoded on two threads.
const PARALLEL_DECODE_BYTES: usize = 256 * 1024;

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

fn decode(bytes: &[u8], path: &Path) -> reprise::Result<image::RgbaImage> {
    png::decode(bytes, &path.display().to_string())
}

/// The `--json` object; fields in this order, documented in docs/diff.md.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonReport<'a> {
    diff_pixels: u64,
    total_pixels: u64,
    diff_ratio: f64,
    identical: bool,
    passed: bool,
    width: u32,
    height: u32,
    size_mismatch: Option<JsonSizes>,
    aa_pixels: u64,
    a: &'a Path,
    b: &'a Path,
    threshold: f64,
    antialiasing: bool,
    max_diff_pixels: Option<u64>,
    max_diff_ratio: Option<f64>,
    masks: Vec<[i64; 4]>,
    diff_image: Option<&'a Path>,
}

#[derive(Serialize)]
struct JsonSizes {
    a: JsonSize,
    b: JsonSize,
}

#[derive(Serialize)]
struct JsonSize {
    width: u32,
    height: u32,
}

fn to_json<'a>(args: &'a Args, opts: &DiffOptions, r: &DiffReport, diff_image: Option<&'a Path>) -> JsonReport<'a> {
    let size = |(width, height): (u32, u32)| JsonSize { width, height };
    JsonReport {
        diff_pixels: r.diff_pixels,
        total_pixels: r.total_pixels,
        diff_ratio: r.diff_ratio(),
        identical: r.identical(),
        passed: r.passed,
        width: r.width,
        height: r.height,
        size_mismatch: r.size_mismatch.map(|m| JsonSizes { a: size(m.a), b: size(m.b) }),
        aa_pixels: r.aa_pixels,
        a: &args.a,
        b: &args.b,
        threshold: opts.threshold,
        antialiasing: !opts.include_aa,
        max_diff_pixels: opts.max_diff_pixels,
        max_diff_ratio: opts.max_diff_ratio,
        masks: opts.masks.iter().map(|m| [m.x, m.y, i64::from(m.width), i64::from(m.height)]).collect(),
        diff_image,
    }
}

fn print_text(out: &mut impl Write, args: &Args, r: &DiffReport, diff_image: Option<&Path>) -> std::io::Result<()> {
    if let Some(m) = r.size_mismatch {
        writeln!(
            out,
            "different sizes: {} is {}x{}, {} is {}x{}",
            args.a.display(),
            m.a.0,
            m.a.1,
            args.b.display(),
            m.b.0,
            m.b.1
        )?;
        if args.output.is_some() {
            writeln!(out, "no diff image for images of different sizes")?;
        }
        return Ok(());
    }
    let verdict = match (r.identical(), r.passed) {
        (true, _) => "identical",
        (false, true) => "different, within tolerance",
        (false, false) => "different",
    };
    writeln!(
        out,
        "{verdict}: {} of {} pixels differ ({:.3}%), {}x{}",
        r.diff_pixels,
        r.total_pixels,
        100.0 * r.diff_ratio(),
        r.width,
        r.height
    )?;
    if r.aa_pixels > 0 {
        writeln!(out, "ignored: {} anti-aliased pixels (--no-aa counts them)", r.aa_pixels)?;
    }
    if let Some(path) = diff_image {
        writeln!(out, "diff image: {}", path.display())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn png(name: &str) -> String {
        format!("{}/../tests/pixels/png/{name}", env!("CARGO_MANIFEST_DIR"))
    }

    fn parse(args: &[&str]) -> Result<Args, clap::Error> {
        let cli = Cli::try_parse_from(["reprise", "diff"].iter().chain(args))?;
        match cli.command {
            Command::Diff(args) => Ok(args),
            other => panic!("parsed as {other:?}"),
        }
    }

    /// Runs `reprise diff` with these arguments: (exit code, stdout).
    fn diff(args: &[&str]) -> (u8, String) {
        let mut out = Vec::new();
        let code = run_to(parse(args).unwrap(), &mut out).unwrap();
        (code, String::from_utf8(out).unwrap())
    }

    fn json(args: &[&str]) -> (u8, serde_json::Value) {
        let (code, out) = diff(&[args, &["--json"]].concat());
        (code, serde_json::from_str(&out).unwrap())
    }

    #[test]
    fn identical_images_exit_0() {
        let (code, out) = diff(&[&png("text.png"), &png("text.png")]);
        assert_eq!(
            (code, out.lines().next().unwrap()),
            (exit::OK, "identical: 0 of 153600 pixels differ (0.000%), 480x320")
        );
    }

    #[test]
    fn different_images_exit_3_with_counts() {
        let (code, v) = json(&[&png("text.png"), &png("text-edit.png")]);
        assert_eq!(code, exit::DIFFERENT);
        assert_eq!((v["diffPixels"].as_u64(), v["totalPixels"].as_u64()), (Some(185), Some(153600)));
        assert_eq!((v["identical"].as_bool(), v["passed"].as_bool()), (Some(false), Some(false)));
        assert!(v["sizeMismatch"].is_null());
        let (_, strict) = json(&[&png("text.png"), &png("text-edit.png"), "--threshold", "0.05", "--no-aa"]);
        assert_eq!(strict["diffPixels"], 351);
    }

    #[test]
    fn masks_and_tolerances_make_it_pass() {
        let (a, b) = (png("text.png"), png("text-edit.png"));
        assert_eq!(diff(&[&a, &b, "--mask", "385,124,70,20"]).0, exit::OK);
        assert_eq!(diff(&[&a, &b, "--max-diff-pixels", "185"]).0, exit::OK);
        assert_eq!(diff(&[&a, &b, "--max-diff-ratio", "0.001"]).0, exit::DIFFERENT);
        let (code, out) = diff(&[&a, &b, "--max-diff-ratio", "0.01"]);
        assert_eq!((code, out.starts_with("different, within tolerance")), (exit::OK, true), "{out}");
    }

    #[test]
    fn size_mismatch_exits_3_and_says_so() {
        let (code, v) = json(&[&png("text.png"), &png("text-wide.png")]);
        assert_eq!(code, exit::DIFFERENT);
        assert_eq!(
            v["sizeMismatch"],
            serde_json::json!({"a": {"width": 480, "height": 320}, "b": {"width": 500, "height": 320}})
        );
    }

    #[test]
    fn writes_the_diff_image() {
        let path = std::env::temp_dir().join(format!("reprise-diff-test-{}.png", std::process::id()));
        let (code, out) = diff(&[&png("form.png"), &png("form-edit.png"), "-o", path.to_str().unwrap()]);
        let written = std::fs::read(&path);
        let _ = std::fs::remove_file(&path);
        assert_eq!(code, exit::DIFFERENT);
        assert!(out.contains("diff image: "), "{out}");
        assert_eq!(png::decode(&written.unwrap(), "diff").unwrap().dimensions(), (300, 280));
    }

    #[test]
    fn unreadable_inputs_are_errors_naming_the_file() {
        let missing = png("no-such.png");
        let err = run_to(parse(&[&png("text.png"), &missing]).unwrap(), &mut Vec::new()).unwrap_err();
        assert!(format!("{err:#}").contains("no-such.png"), "{err:#}");
        let not_png = format!("{}/Cargo.toml", env!("CARGO_MANIFEST_DIR"));
        let err = run_to(parse(&[&not_png, &png("text.png")]).unwrap(), &mut Vec::new()).unwrap_err();
        assert!(format!("{err:#}").contains("Cargo.toml: not a readable PNG"), "{err:#}");
    }

    #[test]
    fn bad_arguments_are_usage_errors() {
        for args in [&["a.png"][..], &["a.png", "b.png", "--mask", "1,2,3"], &["a.png", "b.png", "--threshold", "1.5"]]
        {
            assert_eq!(parse(args).unwrap_err().exit_code(), i32::from(exit::USAGE), "{args:?}");
        }
        let masks = parse(&["a.png", "b.png", "--mask", "-4,0,10,10", "--mask", "1,1,2,2"]).unwrap().masks;
        assert_eq!(masks, [Rect::new(-4, 0, 10, 10), Rect::new(1, 1, 2, 2)]);
    }
}
