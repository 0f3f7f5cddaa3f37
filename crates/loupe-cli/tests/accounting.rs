//! Nothing lost, seen from the CLI: `loupe analyze --format json` on every fixture reports, per
//! input, counts that add up and the numbers of the lines not understood.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn json_accounts_for_every_line_of_every_fixture() {
    let o = Command::new(env!("CARGO_BIN_EXE_loupe"))
        .args(["analyze", "--format", "json", "tests/fixtures"])
        .current_dir(root())
        .output()
        .expect("run loupe");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let inputs = v["inputs"].as_array().unwrap();
    assert!(inputs.len() >= 20, "{} inputs", inputs.len());
    for i in inputs {
        let name = i["name"].as_str().unwrap();
        let c = &i["counts"];
        let n = |k: &str| {
            c[k].as_u64()
                .unwrap_or_else(|| panic!("{name}: counts.{k}"))
        };
        assert_eq!(
            n("lines"),
            n("recognised") + n("continuation") + n("blank") + n("not_understood"),
            "{name}: {c}"
        );
        assert_eq!(i["lines"].as_u64(), Some(n("lines")), "{name}");
        let listed: Vec<u64> = i["not_understood_lines"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: not_understood_lines"))
            .iter()
            .map(|l| l.as_u64().unwrap())
            .collect();
        assert_eq!(listed.len() as u64, n("not_understood").min(200), "{name}");
        let text = std::fs::read_to_string(root().join(name)).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        for l in listed {
            let line = lines.get(l as usize - 1).copied().unwrap_or("");
            assert!(
                !line.trim().is_empty(),
                "{name}:{l} is listed as not understood but blank"
            );
        }
    }
}
