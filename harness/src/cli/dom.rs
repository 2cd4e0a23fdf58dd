//! `reprise dom`: the DOM of a recording at one or more instants, or its activity in a window.

use super::exit;
use super::source::SourceArgs;
use clap::{Args as ClapArgs, ValueEnum};
use reprise::clock::TimeSpec;
use reprise::dom::{self, js_number, selector, Change, Dom, Idx, Kinds, NodeDescription, SeekIndex};
use reprise::model::{Offset, Recording};
use std::io::Write;

/// Rebuild the DOM at an instant, offline, exactly as rrweb's replayer shows it.
///
/// Times: `01:23`, `83.4s`, `83421ms`, a bare number of ms, `50%`, `end`, or `@<epoch ms>`.
/// Several `--at` (repeated or comma-separated) print one block each, with `=== t=<ms>` headers.
/// `--from/--to` lists DOM activity instead: nodes added/removed, text and attribute changes,
/// inputs and scrolls, each with the node's stable selector.
///
/// Examples:
///   reprise dom session.json --at end
///   reprise dom session.json --at 0,50%,end
///   reprise dom ./bundle --at 01:20 --format html > page.html
///   reprise dom session.json --at end --selector 'form input[name=email]'
///   reprise dom session.json --at 12s --node 42 --format json
///   reprise dom session.json --from 10s --to 20s --kind mutation,input
#[derive(ClapArgs, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub source: SourceArgs,

    /// The instant(s) to rebuild. Repeatable; also accepts a comma-separated list.
    #[arg(long, value_name = "T", value_delimiter = ',', conflicts_with_all = ["from", "to"])]
    pub at: Vec<String>,

    /// Start of an activity window (inclusive).
    #[arg(long, value_name = "T", requires = "to")]
    pub from: Option<String>,

    /// End of an activity window (exclusive).
    #[arg(long, value_name = "T", requires = "from")]
    pub to: Option<String>,

    /// Activity kinds to list (default: all).
    #[arg(long, value_enum, value_delimiter = ',', requires = "from")]
    pub kind: Vec<KindArg>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Canonical)]
    pub format: Format,

    /// Only the subtrees of elements matching this CSS selector (grammar: docs/selectors.md).
    #[arg(long, value_name = "CSS", conflicts_with = "node")]
    pub selector: Option<String>,

    /// Only the subtree of the node with this rrweb id.
    #[arg(long, value_name = "ID")]
    pub node: Option<i64>,

    /// Print rrweb's replay warnings (missing nodes, aborted batches, ...) on stderr.
    #[arg(long)]
    pub warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The oracle's canonical DOM text (CANONICAL.md), byte for byte.
    Canonical,
    /// A sanitized static HTML document (no scripts, no handlers, no external loads).
    Html,
    /// The node tree with rrweb ids, attributes and form/scroll state.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Mutation,
    Input,
    Scroll,
}

/// An absolute cut timestamp (epoch ms) and the offset to print for it.
fn cut(rec: &Recording, s: &str) -> anyhow::Result<(f64, f64)> {
    let spec = TimeSpec::parse(s)?;
    let offset = spec.resolve(rec).0;
    let cut = match spec {
        TimeSpec::Absolute(t) => t.0,
        _ => rec.start().0 + offset,
    };
    Ok((cut, offset))
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let rec = args.source.load()?;
    let mut out = std::io::stdout().lock();
    if let (Some(from), Some(to)) = (&args.from, &args.to) {
        return activity(&rec, &args, cut(&rec, from)?.0, cut(&rec, to)?.0, &mut out);
    }
    if args.at.is_empty() {
        return Err(reprise::Error::Usage("give --at <t> (or --from <t> --to <t> for activity)".into()).into());
    }
    let sel = args.selector.as_deref().map(selector::parse).transpose()?;
    let cuts: Vec<(f64, f64)> = args.at.iter().map(|s| cut(&rec, s)).collect::<anyhow::Result<_>>()?;
    let index = (cuts.len() > 2 && !args.warnings).then(|| SeekIndex::new(&rec));
    for &(at, offset) in &cuts {
        let state = match &index {
            Some(ix) => ix.state_at(at),
            None => {
                let engine = dom::fold_at(&rec, at, args.warnings);
                for w in engine.warnings() {
                    eprintln!("warning: {w}");
                }
                engine.into_dom()
            }
        };
        if cuts.len() > 1 {
            writeln!(out, "=== t={}", js_number(offset))?;
        }
        let roots: Option<Vec<Idx>> = match (&sel, args.node) {
            (Some(s), _) => Some(selector::select(&state, state.top(), s)),
            (None, Some(id)) => match state.get(id) {
                Some(n) => Some(vec![n]),
                None => {
                    return Err(reprise::Error::Usage(format!("no node with id {id} at t={}", js_number(offset))).into())
                }
            },
            (None, None) => None,
        };
        write_state(&state, roots.as_deref(), args.format, offset, at, &mut out)?;
    }
    Ok(exit::OK)
}

fn write_state(state: &Dom<'_>, roots: Option<&[Idx]>, format: Format, offset: f64, at: f64, out: &mut impl Write) -> anyhow::Result<()> {
    let Some(roots) = roots else {
        match format {
            Format::Canonical => out.write_all(dom::canonical(state).as_bytes())?,
            Format::Html => out.write_all(dom::html_document(state).as_bytes())?,
            Format::Json => writeln!(out, "{}", dom::dom_json(state, offset, at))?,
        }
        return Ok(());
    };
    let label = |n: Idx| -> String {
        let id = state.mirrored_id(n).map_or_else(|| "?".into(), |i| i.to_string());
        let sel = state.element(n).map(|_| dom::stable_selector(state, n)).unwrap_or_default();
        format!("@{id} {sel}")
    };
    match format {
        Format::Canonical => {
            for &n in roots {
                writeln!(out, "--- {}", label(n))?;
                let mut s = String::new();
                dom::write_subtree(state, n, 0, &mut s);
                out.write_all(s.as_bytes())?;
            }
        }
        Format::Html => {
            for &n in roots {
                writeln!(out, "<!-- {} -->", label(n).replace("--", "- -"))?;
                writeln!(out, "{}", dom::html_fragment(state, n))?;
            }
        }
        Format::Json => {
            let items: Vec<String> = roots
                .iter()
                .map(|&n| {
                    let sel = state.element(n).map(|_| dom::stable_selector(state, n));
                    Ok(format!(
                        "{{\"id\":{},\"selector\":{},\"node\":{}}}",
                        state.mirrored_id(n).map_or("null".into(), |i| i.to_string()),
                        serde_json::to_string(&sel)?,
                        dom::node_json(state, n)
                    ))
                })
                .collect::<Result<_, serde_json::Error>>()?;
            writeln!(out, "{{\"t\":{},\"matches\":[{}]}}", js_number(offset), items.join(","))?;
        }
    }
    Ok(())
}

fn who(node: &Option<NodeDescription>, id: i64) -> String {
    match node {
        Some(d) => {
            let mut s = format!("#{id} {}", d.selector);
            if let Some(f) = &d.frame {
                s = format!("{s} (in {f})");
            }
            s
        }
        None => format!("#{id} (unknown)"),
    }
}

fn q(s: &Option<String>) -> String {
    s.as_deref().map(dom::quote).unwrap_or_else(|| "(none)".into())
}

fn activity(rec: &Recording, args: &Args, from: f64, to: f64, out: &mut impl Write) -> anyhow::Result<u8> {
    let kinds = if args.kind.is_empty() {
        Kinds::default()
    } else {
        Kinds {
            mutation: args.kind.contains(&KindArg::Mutation),
            input: args.kind.contains(&KindArg::Input),
            scroll: args.kind.contains(&KindArg::Scroll),
        }
    };
    let items = dom::activity(rec, from, to, kinds);
    if args.format == Format::Json {
        let arr: Vec<serde_json::Value> = items.iter().map(|a| activity_json(rec, a)).collect();
        serde_json::to_writer_pretty(&mut *out, &arr)?;
        writeln!(out)?;
        return Ok(exit::OK);
    }
    for a in &items {
        let t = Offset(a.timestamp.0 - rec.start().0);
        let line = match &a.change {
            Change::Added { id, parent_id, node } => format!("added     {} under #{parent_id}{}", who(node, *id), label_of(node)),
            Change::Removed { id, node } => format!("removed   {}{}", who(node, *id), label_of(node)),
            Change::Text { id, node, old, new } => format!("text      {} {} -> {}", who(node, *id), q(old), q(new)),
            Change::Attribute { id, node, name, old, new } => format!("attribute {} {name}: {} -> {}", who(node, *id), q(old), q(new)),
            Change::Input { id, node, value, checked } => {
                format!("input     {} = {}{}", who(node, *id), dom::quote(value), if *checked { " (checked)" } else { "" })
            }
            Change::Scroll { id, node, window, x, y } => {
                let target = if *window { format!("#{id} (window)") } else { who(node, *id) };
                format!("scroll    {target} to {},{}", js_number(*x), js_number(*y))
            }
        };
        writeln!(out, "{t}  {line}")?;
    }
    Ok(exit::OK)
}

fn label_of(node: &Option<NodeDescription>) -> String {
    match node.as_ref().and_then(|d| d.label.as_ref().map(|l| (l, d.masked))) {
        Some((l, true)) => format!(" {} (masked)", dom::quote(l)),
        Some((l, false)) => format!(" {}", dom::quote(l)),
        None => String::new(),
    }
}

fn describe_json(d: &Option<NodeDescription>) -> serde_json::Value {
    match d {
        Some(d) => serde_json::json!({
            "tag": d.tag, "selector": d.selector, "frame": d.frame, "label": d.label, "masked": d.masked, "blocked": d.blocked,
        }),
        None => serde_json::Value::Null,
    }
}

fn activity_json(rec: &Recording, a: &dom::Activity) -> serde_json::Value {
    let mut v = match &a.change {
        Change::Added { id, parent_id, node } => serde_json::json!({"kind": "added", "id": id, "parentId": parent_id, "node": describe_json(node)}),
        Change::Removed { id, node } => serde_json::json!({"kind": "removed", "id": id, "node": describe_json(node)}),
        Change::Text { id, node, old, new } => serde_json::json!({"kind": "text", "id": id, "node": describe_json(node), "old": old, "new": new}),
        Change::Attribute { id, node, name, old, new } => {
            serde_json::json!({"kind": "attribute", "id": id, "node": describe_json(node), "name": name, "old": old, "new": new})
        }
        Change::Input { id, node, value, checked } => {
            serde_json::json!({"kind": "input", "id": id, "node": describe_json(node), "value": value, "checked": checked})
        }
        Change::Scroll { id, node, window, x, y } => {
            serde_json::json!({"kind": "scroll", "id": id, "node": describe_json(node), "window": window, "x": x, "y": y})
        }
    };
    v["offsetMs"] = serde_json::json!(a.timestamp.0 - rec.start().0);
    v["timestamp"] = serde_json::json!(a.timestamp.0);
    v["segment"] = serde_json::json!(a.pointer.segment);
    v["frame"] = serde_json::json!(a.pointer.frame);
    v
}
