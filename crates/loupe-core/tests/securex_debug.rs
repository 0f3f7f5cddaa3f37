#[path = "securex_support.rs"]
mod support;

#[test]
#[ignore]
fn dump() {
    let names: Vec<String> = std::fs::read_dir(support::fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "README.md")
        .collect();
    let mut names = names;
    names.sort();
    for n in names {
        println!(
            "################ {n}\n{}",
            support::render(&support::run(&[&n]))
        );
    }
}
