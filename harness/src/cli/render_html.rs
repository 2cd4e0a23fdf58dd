//! `reprise render-html`: render an HTML file at an origin with scripts off and the network
//! stubbed, as render mode will; a debugging aid for the browser layer.

use super::exit;
use clap::Args as ClapArgs;
use reprise::browser::{Browser, LaunchOptions, RenderOptions, RequestPolicy, Viewport};
use std::path::PathBuf;

/// Render an HTML file to a PNG the way render mode does: served at --origin from memory, scripts
/// disabled, every other request answered locally (listed on stderr), an exact viewport.
///
/// Examples:
///   reprise render-html page.html -o shot.png
///   reprise render-html page.html --origin https://shop.example/cart -o cart.png --viewport 1280x800
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The HTML file to render.
    pub html: PathBuf,

    /// The URL the document pretends to come from; relative URLs resolve against it.
    #[arg(long, default_value = "http://127.0.0.1:9101/index.html")]
    pub origin: String,

    /// Where to write the PNG.
    #[arg(short, long, value_name = "PNG")]
    pub output: PathBuf,

    /// The viewport in CSS pixels, as WIDTHxHEIGHT.
    #[arg(long, default_value = "1280x800", value_parser = parse_viewport)]
    pub viewport: Viewport,

    /// Fail every request that is not the document instead of answering it with a neutral stand-in.
    #[arg(long)]
    pub fail_requests: bool,

    /// The Chromium binary (default: $REPRISE_CHROME, then the Debian headless shell, then chromium).
    #[arg(long, value_name = "PATH")]
    pub chrome: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let html = std::fs::read_to_string(&args.html).map_err(|e| reprise::Error::io(&args.html, e))?;
    let browser = Browser::launch(&LaunchOptions { chrome: args.chrome, ..LaunchOptions::default() })?;
    let policy = if args.fail_requests { RequestPolicy::FailOthers } else { RequestPolicy::Neutral };
    let options = RenderOptions { policy, ..RenderOptions::default() };
    let rendered = browser.render_html(&html, &args.origin, args.viewport, &options)?;
    std::fs::write(&args.output, &rendered.png).map_err(|e| reprise::Error::io(&args.output, e))?;
    for request in &rendered.requests {
        eprintln!("{:?} {} {} {}", request.answer, request.resource_type, request.method, request.url);
    }
    for warning in &rendered.warnings {
        eprintln!("warning: {warning}");
    }
    eprintln!(
        "wrote {} ({}x{}, {} bytes) with {}",
        args.output.display(),
        args.viewport.width,
        args.viewport.height,
        rendered.png.len(),
        browser.version()
    );
    Ok(exit::OK)
}

pub(super) fn parse_viewport(text: &str) -> Result<Viewport, String> {
    let (w, h) = text.split_once(['x', 'X']).ok_or("expected WIDTHxHEIGHT, such as 1280x800")?;
    let size = |s: &str| s.trim().parse::<u32>().ok().filter(|n| (1..=16384).contains(n));
    match (size(w), size(h)) {
        (Some(width), Some(height)) => Ok(Viewport { width, height }),
        _ => Err(format!("{text:?} is not WIDTHxHEIGHT with sizes from 1 to 16384")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewports() {
        assert_eq!(parse_viewport("1280x800"), Ok(Viewport { width: 1280, height: 800 }));
        assert_eq!(parse_viewport("375X667"), Ok(Viewport { width: 375, height: 667 }));
        assert!(parse_viewport("1280").is_err());
        assert!(parse_viewport("0x10").is_err());
        assert!(parse_viewport("axb").is_err());
    }
}
