//! Snapshots of the full reports (both languages, fix steps, codes, evidence, checklist) for the
//! seed scenarios and the mixed paste. Review a changed snapshot line by line before accepting.

#[path = "securex_support.rs"]
mod support;

use support::*;

#[test]
fn seed_dns_session() {
    insta::assert_snapshot!(render(&run(&["seed_console_dns_session.txt"])));
}

#[test]
fn seed_dns_failure_three_artefacts() {
    insta::assert_snapshot!(render(&run(&[
        "seed_curl_dns_failure.txt",
        "seed_nslookup_timeout.txt",
        "seed_show_network.txt"
    ])));
}

#[test]
fn seed_success_403() {
    insta::assert_snapshot!(render(&run(&[
        "seed_curl_success_403.txt",
        "seed_connector_properties.txt"
    ])));
}

#[test]
fn seed_action_queue() {
    insta::assert_snapshot!(render(&run(&[
        "seed_action_queue_canconnect.log",
        "action_queue_exit6.log",
        "action_queue_exit28.log"
    ])));
}

#[test]
fn seed_connector_not_working() {
    insta::assert_snapshot!(render(&run(&[
        "seed_netstat_listening.txt",
        "seed_lsof_syn_sent.txt",
        "seed_connector_log_cut.log"
    ])));
}

#[test]
fn seed_connector_working() {
    insta::assert_snapshot!(render(&run(&[
        "seed_netstat_connected.txt",
        "seed_lsof_established.txt",
        "pmtool_status.txt"
    ])));
}

#[test]
fn mixed_console_paste() {
    insta::assert_snapshot!(render(&run(&["mixed_console_paste.txt"])));
}

#[test]
fn tls_interception() {
    insta::assert_snapshot!(render(&run(&["curl_tls_intercepted_60.txt"])));
}
