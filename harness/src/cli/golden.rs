//! `reprise golden`: review, accept or reject pending golden files.

use super::exit;
use clap::{Args as ClapArgs, Subcommand};
use reprise::compare::{compare, diff_text, png, DiffOptions};
use reprise::golden::{accept, diff_image_path, diff_summary, list_pending, reject, Pending};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

/// Review pending golden files (`*.new` left by failing checkpoints): list, diff, accept, reject.
///
/// Examples:
///   reprise golden pending
///   reprise golden review swagger
///   reprise golden accept swagger/tryout/end.dom.txt
///   reprise golden reject
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,

    /// Where golden evidence lives.
    #[arg(long, default_value = "golden", value_name = "DIR", global = true)]
    pub golden_dir: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum Action {
    /// List pending files.
    Pending { filter: Option<String> },
    /// Show each pending file's diff and ask: accept, reject or skip.
    Review { filter: Option<String> },
    /// Accept pending files (replace the goldens).
    Accept { filter: Option<String> },
    /// Reject pending files (delete them).
    Reject { filter: Option<String> },
}

fn colored(diff: &str, color: bool) -> String {
    if !color {
        return diff.to_string();
    }
    diff.lines()
        .map(|l| match l.chars().next() {
            Some('+') if !l.starts_with("+++") => format!("\x1b[32m{l}\x1b[0m\n"),
            Some('-') if !l.starts_with("---") => format!("\x1b[31m{l}\x1b[0m\n"),
            Some('@') => format!("\x1b[36m{l}\x1b[0m\n"),
            _ => format!("{l}\n"),
        })
        .collect()
}

/// The pixel difference between a pending PNG and its golden, at pixelmatch's default threshold
/// (the scenario's own masks and tolerances were applied when the test ran).
fn png_summary(p: &Pending) -> String {
    let read = |path: &std::path::Path| -> reprise::Result<_> {
        let bytes = std::fs::read(path).map_err(|e| reprise::Error::io(path, e))?;
        png::decode(&bytes, &path.display().to_string())
    };
    let new = match read(&p.pending) {
        Ok(img) => img,
        Err(e) => return format!("unreadable pending PNG: {e}"),
    };
    if !p.golden.exists() {
        return format!("new golden ({}x{})", new.width(), new.height());
    }
    match read(&p.golden) {
        Ok(old) => {
            let report = compare(&old, &new, &DiffOptions::default());
            match report.size_mismatch {
                Some(_) => diff_summary(&report),
                None => format!("{} at threshold 0.1, without masks", diff_summary(&report)),
            }
        }
        Err(e) => format!("unreadable golden: {e}"),
    }
}

fn show(out: &mut impl Write, p: &Pending, color: bool) -> std::io::Result<()> {
    writeln!(out, "── {} ──", p.name)?;
    if p.name.ends_with(".png") {
        writeln!(out, "{}", png_summary(p))?;
        writeln!(out, "  golden:  {}\n  pending: {}", p.golden.display(), p.pending.display())?;
        let diff = diff_image_path(&p.golden);
        if diff.exists() {
            writeln!(out, "  diff:    {}", diff.display())?;
        }
        return Ok(());
    }
    let new = std::fs::read_to_string(&p.pending).unwrap_or_default();
    match std::fs::read_to_string(&p.golden) {
        Ok(old) => {
            let d = diff_text(&old, &new, 3, 200);
            writeln!(out, "{}", d.summary())?;
            write!(out, "{}", colored(&d.unified, color))?;
        }
        Err(_) => {
            writeln!(out, "new golden ({} lines):", new.lines().count())?;
            for l in new.lines().take(40) {
                writeln!(out, "{}", colored(&format!("+{l}"), color).trim_end())?;
            }
        }
    }
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let root = &args.golden_dir;
    let mut out = std::io::stdout().lock();
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match args.action {
        Action::Pending { filter } => {
            let list = list_pending(root, filter.as_deref())?;
            for p in &list {
                writeln!(out, "{}", p.name)?;
            }
            eprintln!("{} pending file(s)", list.len());
        }
        Action::Accept { filter } => {
            let list = list_pending(root, filter.as_deref())?;
            for p in &list {
                accept(p)?;
                writeln!(out, "accepted {}", p.name)?;
            }
            eprintln!("{} accepted", list.len());
        }
        Action::Reject { filter } => {
            let list = list_pending(root, filter.as_deref())?;
            for p in &list {
                reject(p)?;
                writeln!(out, "rejected {}", p.name)?;
            }
            eprintln!("{} rejected", list.len());
        }
        Action::Review { filter } => {
            let list = list_pending(root, filter.as_deref())?;
            let interactive = std::io::stdin().is_terminal();
            let stdin = std::io::stdin();
            let mut lines = stdin.lock().lines();
            let (mut acc, mut rej) = (0, 0);
            for p in &list {
                show(&mut out, p, color)?;
                if !interactive {
                    continue;
                }
                loop {
                    write!(out, "[a]ccept, [r]eject, [s]kip? ")?;
                    out.flush()?;
                    let answer = lines.next().transpose()?.unwrap_or_default();
                    match answer.trim() {
                        "a" | "accept" => {
                            accept(p)?;
                            acc += 1;
                            break;
                        }
                        "r" | "reject" => {
                            reject(p)?;
                            rej += 1;
                            break;
                        }
                        "s" | "skip" | "" => break,
                        _ => continue,
                    }
                }
            }
            if !interactive && !list.is_empty() {
                eprintln!("not a terminal: nothing decided; use `reprise golden accept|reject [FILTER]`");
            }
            eprintln!("{} pending, {acc} accepted, {rej} rejected", list.len());
        }
    }
    Ok(exit::OK)
}
