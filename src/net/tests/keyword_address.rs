//! Keyword/value connection strings.

use super::*;

#[test]
fn libpq_host_and_port() {
    let text = "host=localhost port=5432 user=postgres password=password dbname=products sslmode=disable";
    let url = only_url(text);
    assert_eq!(url.form, AddressForm::Keywords);
    assert_eq!(url.scheme, None);
    assert_eq!(at(text, &url.host), "localhost");
    assert_eq!(url.host_class, HostClass::Loopback);
    assert_eq!(at(text, &url.port.clone().unwrap().range), "5432");
    assert_eq!(at(text, &url.range), "host=localhost port=5432");
}

#[test]
fn port_before_host_and_quoted_values() {
    let text = "port='5433' dbname=x host='product-db'";
    let url = only_url(text);
    assert_eq!(at(text, &url.host), "product-db");
    assert_eq!(url.host_class, HostClass::BareName);
    assert_eq!(url.port.unwrap().number(), Some(5433));
    assert_eq!(at(text, &url.range), "port='5433' dbname=x host='product-db'");
}

#[test]
fn semicolon_separated_and_sql_server_forms() {
    let npgsql = "Host=127.0.0.1;Port=5432;Database=app;Username=app";
    let url = only_url(npgsql);
    assert_eq!(at(npgsql, &url.host), "127.0.0.1");
    assert_eq!(url.port.unwrap().number(), Some(5432));

    let sql_server = "Server=tcp:localhost,1433;Database=app;User Id=sa";
    let url = only_url(sql_server);
    assert_eq!(at(sql_server, &url.host), "localhost");
    assert_eq!(at(sql_server, &url.port.unwrap().range), "1433");
}

#[test]
fn placeholders_are_unknown_ports_and_hosts() {
    let text = "host=localhost port=${var.db_port}";
    let url = only_url(text);
    assert_eq!(url.port.unwrap().value, PortValue::Unknown);
    let text = "host=${var.db_host} port=5432";
    assert_eq!(only_url(text).host_class, HostClass::Unknown);
}

#[test]
fn not_one_server_is_nothing() {
    for text in [
        "host=localhost",               // no port
        "port=5432",                    // no host
        "host=a,b port=5432,5433",      // a list of hosts
        "host=a host=b port=5432",      // said twice
        "--host=127.0.0.1 --port=8000", // command-line flags, not keywords
        "a=b c=d",
        "host= port=5432",
    ] {
        assert!(find_urls(text).is_empty(), "{text}");
    }
}

#[test]
fn urls_win_over_keywords() {
    let text = "url=http://localhost:1234 host=x port=5";
    let url = only_url(text);
    assert_eq!(url.form, AddressForm::Url);
    assert_eq!(url.port.unwrap().number(), Some(1234));
}
