//! The binary's own contract: every subcommand teaches with `--help` (with an example) and the
//! exit codes are the documented ones. (Its presence also makes `cargo test` build the binary that
//! the workspace's integration tests run.)

use std::process::Command;

fn reprise(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_reprise")).args(args).output().unwrap()
}

fn subcommands() -> Vec<String> {
    let help = String::from_utf8(reprise(&["--help"]).stdout).unwrap();
    let commands = help.split("Commands:").nth(1).expect("a Commands section");
    commands
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_subcommand_has_help_with_an_example() {
    let cmds = subcommands();
    assert!(cmds.contains(&"info".to_string()) && cmds.contains(&"events".to_string()), "{cmds:?}");
    for c in cmds {
        let out = reprise(&[&c, "--help"]);
        assert!(out.status.success(), "{c} --help");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Example"), "`reprise {c} --help` shows no example:\n{text}");
        assert!(text.contains(&format!("reprise {c} ")), "`reprise {c} --help` example does not use the command");
    }
}

#[test]
fn usage_errors_exit_2_and_input_errors_exit_1() {
    assert_eq!(reprise(&["info"]).status.code(), Some(2));
    assert_eq!(reprise(&["no-such-command"]).status.code(), Some(2));
    let missing = reprise(&["info", "/nonexistent/recording.json"]);
    assert_eq!(missing.status.code(), Some(1));
    let err = String::from_utf8(missing.stderr).unwrap();
    assert!(err.contains("/nonexistent/recording.json"), "{err}");
}
