//! `reprise render`: a recording at an instant as Chromium shows it, to a PNG (render mode).

use super::exit;
use super::render_html::parse_viewport;
use super::source::SourceArgs;
use clap::Args as ClapArgs;
use reprise::browser::{Browser, LaunchOptions, Viewport};
use reprise::clock::TimeSpec;
use reprise::dom::state_at;
use reprise::model::Offset;
use reprise::runner::{masked_png, RenderPlan};
use std::path::PathBuf;

/// Render a recording at an instant to a PNG, as render-mode scenarios do: the DOM rebuilt offline
/// (`reprise dom --format html`) is served at the recording's URL in the recording's viewport,
/// scrolls, typed values and checked boxes are applied, scripts never run and every other request
/// is answered locally (listed with --requests). The same instant gives the same bytes every time
/// on the same Chromium (goldens are made with chromium-headless-shell).
///
/// Times: `01:23`, `83.4s`, `83421ms`, a bare number of ms, `50%`, `end`, or `@<epoch ms>`.
///
/// Examples:
///   reprise render session.json --at end -o end.png
///   reprise render session.json --at 01:20 -o cart.png --viewport 1280x800
///   reprise render ./bundle --at 50% -o mid.png --mask '.clock' --html mid.html
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub source: SourceArgs,

    /// The instant to render.
    #[arg(long, value_name = "T")]
    pub at: String,

    /// Where to write the PNG.
    #[arg(short, long, value_name = "PNG")]
    pub output: PathBuf,

    /// The viewport in CSS pixels, as WIDTHxHEIGHT (default: the recording's at that instant).
    #[arg(long, value_parser = parse_viewport)]
    pub viewport: Option<Viewport>,

    /// Paint the boxes of the elements matching this CSS selector magenta (repeatable), as a
    /// scenario's `pixels.mask` does.
    #[arg(long, value_name = "CSS")]
    pub mask: Vec<String>,

    /// Also write the HTML document that was rendered.
    #[arg(long, value_name = "PATH")]
    pub html: Option<PathBuf>,

    /// List every request the page made and how it was answered, on stderr.
    #[arg(long)]
    pub requests: bool,

    /// The Chromium binary (default: $REPRISE_CHROME, then the Debian headless shell, then chromium).
    #[arg(long, value_name = "PATH")]
    pub chrome: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let rec = args.source.load()?;
    let spec = TimeSpec::parse(&args.at)?;
    let offset = spec.resolve(&rec);
    let cut = match spec {
        TimeSpec::Absolute(t) => t.0,
        _ => rec.start().0 + offset.ms(),
    };
    let dom = state_at(&rec, cut);
    let mut plan = RenderPlan::of(&dom);
    if let Some(viewport) = args.viewport {
        plan.viewport = viewport;
    }
    if let Some(path) = &args.html {
        std::fs::write(path, &plan.html).map_err(|e| reprise::Error::io(path, e))?;
    }
    let browser = Browser::launch(&LaunchOptions { chrome: args.chrome, ..LaunchOptions::default() })?;
    let rendered = plan.render(&browser, &args.mask)?;
    let (png_bytes, _masks) = masked_png(&rendered)?;
    std::fs::write(&args.output, &png_bytes).map_err(|e| reprise::Error::io(&args.output, e))?;
    if args.requests {
        for request in &rendered.requests {
            eprintln!("{:?} {} {} {}", request.answer, request.resource_type, request.method, request.url);
        }
    }
    for warning in &rendered.warnings {
        eprintln!("warning: {warning}");
    }
    eprintln!(
        "wrote {} at {} ({}x{}, {}; {} state change(s), {} request(s) answered locally) with {}",
        args.output.display(),
        Offset(offset.ms()),
        plan.viewport.width,
        plan.viewport.height,
        plan.url,
        plan.state.len(),
        rendered.requests.len(),
        browser.version()
    );
    Ok(exit::OK)
}
