use super::*;

const DF: SourceKind = SourceKind::Dockerfile;

#[test]
fn exec_form_cmd_reads_gunicorn_bind() {
    let text = "FROM python:3.12\nCMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app:app\"]\n";
    let listen = one_listen(DF, text);
    assert_eq!(listen.api, "gunicorn --bind");
    assert_eq!(
        at(text, listen.span),
        "\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app:app\""
    );
    assert_host_port(text, &listen, "0.0.0.0:8000");
}

#[test]
fn exec_form_default_inserts_list_elements() {
    let text = "FROM python\nCMD [\"python\", \"manage.py\", \"runserver\"]\n";
    let listen = one_listen(DF, text);
    assert_default(
        text,
        &listen,
        false,
        "FROM python\nCMD [\"python\", \"manage.py\", \"runserver\", \"127.0.0.1:8000\"]\n",
    );
}

#[test]
fn install_guide_django_in_exec_and_shell_form() {
    for host in ["127.0.0.1", "0.0.0.0"] {
        let exec = format!("FROM python\nCMD [\"python\", \"manage.py\", \"runserver\", \"{host}:8080\"]\n");
        assert_host_port(&exec, &one_listen(DF, &exec), &format!("{host}:8080"));
        let shell = format!("FROM python\nCMD python manage.py runserver \"{host}:8080\"\n");
        assert_host_port(&shell, &one_listen(DF, &shell), &format!("{host}:8080"));
    }
}

#[test]
fn shell_form_with_continuation() {
    let text = "FROM python\nCMD gunicorn --bind 0.0.0.0:8000 \\\n    app:app\n";
    let listen = one_listen(DF, text);
    assert_host_port(text, &listen, "0.0.0.0:8000");
}

#[test]
fn exec_entrypoint_takes_cmd_as_arguments() {
    let text = "FROM python\nENTRYPOINT [\"gunicorn\"]\nCMD [\"--bind\", \"[::]:80\", \"app:app\"]\n";
    let listen = one_listen(DF, text);
    assert_host_port(text, &listen, "[::]:80");
    let text = "FROM python\nENTRYPOINT [\"/docker-entrypoint.sh\"]\nCMD [\"uvicorn\", \"a:b\"]\n";
    let listen = one_listen(DF, text);
    assert_default(
        text,
        &listen,
        false,
        "FROM python\nENTRYPOINT [\"/docker-entrypoint.sh\"]\nCMD [\"uvicorn\", \"--host\", \"127.0.0.1\", \"a:b\"]\n",
    );
}

#[test]
fn only_the_last_cmd_of_a_stage_runs() {
    let text = "FROM python AS a\nCMD gunicorn -b 0.0.0.0:1 x\nCMD gunicorn -b 127.0.0.1:2 x\nFROM a\nCMD [\"sh\", \"-c\", \"gunicorn -b 0.0.0.0:3 x\"]\n";
    let listens = facts(DF, text).listens;
    assert_eq!(listens.len(), 2);
    assert_host_port(text, &listens[0], "127.0.0.1:2");
    assert_host_port(text, &listens[1], "0.0.0.0:3");
}

#[test]
fn env_lines_are_strings_not_listens() {
    let text = "FROM x\nENV BIND_ADDRESS=0.0.0.0:80 UPSTREAM=\"http://billing.service.consul:80\"\nARG U=http://a.b\n";
    let facts = facts(DF, text);
    assert!(facts.listens.is_empty());
    let got: Vec<_> = facts.strings.iter().map(|s| at(text, s.span)).collect();
    assert_eq!(got, ["http://billing.service.consul:80", "http://a.b"]);
}
