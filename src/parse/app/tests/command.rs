//! The shared command-line reader, through shell scripts and Procfiles.
use super::*;

const SH: SourceKind = SourceKind::Shell;

#[test]
fn install_guide_django_runserver_loopback_and_all_interfaces() {
    for host in ["127.0.0.1", "0.0.0.0"] {
        let text = format!("#!/bin/sh\npython manage.py runserver \"{host}:8080\"\n");
        let listen = one_listen(SH, &text);
        assert_eq!(listen.api, "manage.py runserver");
        assert_eq!(
            at(&text, listen.span),
            format!("python manage.py runserver \"{host}:8080\"")
        );
        assert_host_port(&text, &listen, &format!("{host}:8080"));
    }
}

#[test]
fn runserver_without_address_uses_djangos_loopback_default() {
    let text = "exec python3 ./manage.py runserver --noreload\n";
    let listen = one_listen(SH, text);
    assert_default(
        text,
        &listen,
        false,
        "exec python3 ./manage.py runserver 127.0.0.1:8000 --noreload\n",
    );
}

#[test]
fn runserver_with_only_a_port_keeps_the_default_host() {
    let text = "django-admin runserver 8000\n";
    let listen = one_listen(SH, text);
    assert_eq!(listen.api, "django-admin runserver");
    assert_default(text, &listen, false, "django-admin runserver 127.0.0.1:8000\n");
}

#[test]
fn runserver_with_a_variable_is_unknown() {
    assert_unknown(&one_listen(SH, "python manage.py runserver \"$BIND_ADDRESS\"\n"));
}

#[test]
fn gunicorn_bind_in_every_spelling() {
    let text = "gunicorn -b 0.0.0.0:1 --bind '[::]:2' --bind=127.0.0.1:3 -b4.4.4.4:4 app:app\n";
    let listens = facts(SH, text).listens;
    let got: Vec<_> = listens.iter().map(|l| l.api.as_str()).collect();
    assert_eq!(
        got,
        ["gunicorn -b", "gunicorn --bind", "gunicorn --bind", "gunicorn -b"]
    );
    assert_host_port(text, &listens[0], "0.0.0.0:1");
    assert_host_port(text, &listens[1], "[::]:2");
    assert_host_port(text, &listens[2], "127.0.0.1:3");
    assert_host_port(text, &listens[3], "4.4.4.4:4");
}

#[test]
fn gunicorn_without_bind_defaults_to_loopback() {
    let text = "gunicorn app:app\n";
    let listen = one_listen(SH, text);
    assert_eq!(listen.api, "gunicorn");
    assert_default(text, &listen, false, "gunicorn --bind 127.0.0.1:8000 app:app\n");
}

#[test]
fn gunicorn_with_a_config_file_and_no_bind_is_unknown() {
    assert_unknown(&one_listen(SH, "gunicorn -c gunicorn.conf.py app:app\n"));
}

#[test]
fn python_dash_m_and_wrappers_find_the_server() {
    let text = "exec env A=1 poetry run python -m uvicorn main:app --host 0.0.0.0 --port 80\n";
    let listen = one_listen(SH, text);
    assert_eq!(listen.api, "uvicorn --host");
    assert_host(text, &listen, "0.0.0.0");
}

#[test]
fn uvicorn_without_host_defaults_to_loopback() {
    let text = "uvicorn main:app --port 80\n";
    let listen = one_listen(SH, text);
    assert_default(
        text,
        &listen,
        false,
        "uvicorn --host 127.0.0.1 main:app --port 80\n",
    );
}

#[test]
fn flask_run_host_option_and_environment() {
    let text = "flask --app hello run --host=0.0.0.0\nFLASK_RUN_HOST=\"::\" flask run\nflask run\n";
    let listens = facts(SH, text).listens;
    assert_eq!(listens.len(), 3);
    assert_eq!(listens[0].api, "flask run --host");
    assert_host(text, &listens[0], "0.0.0.0");
    assert_eq!(listens[1].api, "flask run FLASK_RUN_HOST");
    assert_host(text, &listens[1], "::");
    assert_eq!(listens[2].api, "flask run");
    let ListenAddress::Default {
        all_interfaces: false,
        insert: Some((span, insert)),
    } = &listens[2].address
    else {
        panic!("{:?}", listens[2]);
    };
    assert_eq!(insert, " --host 127.0.0.1");
    assert_eq!(&text[span.start() - 9..span.start()], "flask run");
}

#[test]
fn hypercorn_and_http_server() {
    let text = "hypercorn -b 0.0.0.0:80 app:app\npython -m http.server 8000\n";
    let listens = facts(SH, text).listens;
    assert_eq!(listens[0].api, "hypercorn -b");
    assert_host_port(text, &listens[0], "0.0.0.0:80");
    assert_eq!(listens[1].api, "python -m http.server");
    assert_default(
        text,
        &listens[1],
        true,
        "hypercorn -b 0.0.0.0:80 app:app\npython -m http.server --bind 127.0.0.1 8000\n",
    );
}

#[test]
fn generic_listen_and_bind_options() {
    let text = "./server --listen 0.0.0.0:9090 -addr=:80 --bind-address \"127.0.0.1\" -b :1 -b backup\n";
    let listens = facts(SH, text).listens;
    let got: Vec<_> = listens.iter().map(|l| l.api.as_str()).collect();
    assert_eq!(got, ["--listen", "-addr", "--bind-address", "-b"]);
    assert_host_port(text, &listens[0], "0.0.0.0:9090");
    assert_host_port(text, &listens[1], ":80");
    assert_host_port(text, &listens[2], "127.0.0.1");
    assert_host_port(text, &listens[3], ":1");
}

#[test]
fn line_continuations_and_sh_dash_c() {
    let text = "gunicorn \\\n  --bind 0.0.0.0:8000 \\\n  app:app\nsh -c 'uvicorn a:b --host 0.0.0.0'\n";
    let listens = facts(SH, text).listens;
    assert_eq!(listens.len(), 2);
    assert_host_port(text, &listens[0], "0.0.0.0:8000");
    assert!(at(text, listens[0].span).ends_with("app:app"));
    assert_host(text, &listens[1], "0.0.0.0");
}

#[test]
fn installing_a_server_is_not_running_it() {
    let text = "pip install gunicorn uvicorn flask\n# gunicorn --bind 0.0.0.0:80 app\necho bind\n";
    assert!(facts(SH, text).listens.is_empty());
}

#[test]
fn shell_words_with_urls_are_strings() {
    let text = "curl \"http://billing.service.consul:8080/x\" https://example.com\n";
    assert_eq!(
        strings(SH, text),
        ["http://billing.service.consul:8080/x", "https://example.com"]
    );
}

#[test]
fn procfile_lines_are_command_lines() {
    let text = "web: gunicorn --bind 0.0.0.0:$PORT app:app\nworker: celery -A app worker\n# x: gunicorn\n";
    let listen = one_listen(SourceKind::Procfile, text);
    assert_eq!(listen.api, "gunicorn --bind");
    assert_eq!(at(text, listen.span), "gunicorn --bind 0.0.0.0:$PORT app:app");
    assert_host_port(text, &listen, "0.0.0.0:$PORT");
}

#[test]
fn an_unterminated_quote_ending_in_a_multibyte_character_keeps_spans_on_boundaries() {
    // Found by the app_sources fuzz target.
    let text = "echo \"http://localhost:1234/ä\u{fffd}";
    let facts = crate::parse::app::extract(
        crate::parse::app::SourceKind::Shell,
        crate::source::FileId(0),
        text,
    );
    for s in &facts.strings {
        assert!(text.get(s.span.start()..s.span.end()).is_some(), "{:?}", s.span);
    }
}
