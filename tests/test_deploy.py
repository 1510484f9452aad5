"""The replica recipe: HAProxy's configuration, the Compose file, the warm-up's record, the commands."""

import json
from pathlib import Path

import pytest
import yaml

from deploy.__main__ import main as deploy_main
from deploy.replicas import STICKY_COOKIE, Backend, check_haproxy_config, haproxy_config
from deploy.warm import WARM_RECORD, package_versions, warm_record

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
COMPOSE_BACKENDS = [Backend("replica1", "app1", 8501), Backend("replica2", "app2", 8501)]
#: HAProxy is installed by the full test run (scripts/test.sh), as Chromium is.
needs_haproxy = pytest.mark.slow


def test_the_compose_files_haproxy_config_is_the_generated_one():
    assert (DEPLOY / "haproxy.cfg").read_text(encoding="utf-8") == haproxy_config(COMPOSE_BACKENDS, "*:8500")


def test_the_config_is_sticky_checks_health_and_names_every_replica():
    config = haproxy_config([Backend(f"replica{n}", "127.0.0.1", 8600 + n) for n in (1, 2, 3)], "127.0.0.1:8600")
    assert f"cookie {STICKY_COOKIE} insert" in config
    assert "option httpchk GET /_stcore/health" in config
    assert "bind 127.0.0.1:8600" in config
    for n in (1, 2, 3):
        assert f"server replica{n} 127.0.0.1:860{n} check cookie replica{n}" in config


def test_the_compose_file_warms_once_and_runs_read_only_replicas_behind_the_balancer():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert services["warm"]["command"] == ["python", "-m", "deploy", "warm"]
    for name in ("app1", "app2"):
        app = services[name]
        assert app["environment"]["EMBEDDING_EXPLORER_CACHE_READ_ONLY"] == "1"
        assert app["depends_on"]["warm"]["condition"] == "service_completed_successfully"
        assert "/_stcore/health" in " ".join(app["healthcheck"]["test"])
        assert [backend for backend in COMPOSE_BACKENDS if backend.host == name]
    mounted = services["balancer"]["volumes"][0].split(":")[0]
    assert (DEPLOY / mounted).resolve() == (DEPLOY / "haproxy.cfg").resolve()
    assert (DEPLOY.parent / services["warm"]["build"]["dockerfile"]).is_file()


@needs_haproxy
def test_haproxy_accepts_the_generated_and_the_compose_configs(tmp_path):
    local = tmp_path / "haproxy.cfg"
    local.write_text(haproxy_config([Backend("replica1", "127.0.0.1", 8601)], "127.0.0.1:8600"), encoding="utf-8")
    assert "Configuration file is valid" in check_haproxy_config(local)
    assert "Configuration file is valid" in check_haproxy_config(DEPLOY / "haproxy.cfg")


@needs_haproxy
def test_haproxy_refuses_a_broken_config(tmp_path):
    broken = tmp_path / "haproxy.cfg"
    broken.write_text(haproxy_config([Backend("replica1", "127.0.0.1", 8601)], "127.0.0.1:8600")
                      .replace("balance leastconn", "balance nowhere"), encoding="utf-8")
    with pytest.raises(ValueError, match="balance only supports"):
        check_haproxy_config(broken)


def test_the_config_command_prints_the_config_and_refuses_a_bad_address(capsys):
    assert deploy_main(["haproxy-config", "app1:8501,app2:8501", "--bind", "*:8500"]) == 0
    assert capsys.readouterr().out == haproxy_config(COMPOSE_BACKENDS, "*:8500")
    assert deploy_main(["haproxy-config", "app1"]) == 2
    assert "is not HOST:PORT" in capsys.readouterr().err


def test_a_folder_is_warm_only_with_a_record_for_these_package_versions(tmp_path):
    assert warm_record(tmp_path) is None
    record = {"steps": [], "versions": package_versions()}
    (tmp_path / WARM_RECORD).write_text(json.dumps(record), encoding="utf-8")
    assert warm_record(tmp_path) == record
    (tmp_path / WARM_RECORD).write_text(json.dumps({**record, "versions": {"numba": "0.1"}}), encoding="utf-8")
    assert warm_record(tmp_path) is None
    (tmp_path / WARM_RECORD).write_text("{half", encoding="utf-8")
    assert warm_record(tmp_path) is None


def test_start_refuses_a_folder_that_was_never_warmed(tmp_path, capsys, monkeypatch):
    # `--cache` sets the cache folder in this process's environment; monkeypatch puts it back afterwards
    monkeypatch.setenv("EMBEDDING_EXPLORER_CACHE", str(tmp_path))
    assert deploy_main(["start", "--replicas", "1", "--cache", str(tmp_path), "--logs", str(tmp_path / "logs")]) == 2
    assert "python -m deploy warm" in capsys.readouterr().err
    assert not (tmp_path / "logs").exists()  # refused before anything started
