"""The named API endpoint, called over HTTP with gradio_client against a live app."""

from __future__ import annotations

import threading

import pytest

from qa.answer import ask
from qa.search.base import SearchSettings
from qa.types import Mode
from tests.web_support import running_app

META = "how much is Meta spending on AI infrastructure?"
META_SOURCE = "seeds/000_432a7676416fb9d4.txt"
SLOW = "a question that takes its time"

# Gradio's queue calls pandas in ways pandas 3 deprecates; nothing of ours.
pytestmark = [
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting'"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


def _client(url):
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False)


@pytest.fixture(scope="module")
def api(fake_index):
    with running_app(fake_index) as url:
        yield url, _client(url)


def _without_timing(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if k != "took_ms"}


def test_served_on_loopback_only(api):
    url, _ = api
    assert url.startswith("http://127.0.0.1:")


def test_ask_returns_the_json_of_qa_ask(api, fake_index):
    _, client = api
    payload = client.predict(META, 5, "hybrid", api_name="/ask")
    expected = ask(fake_index, META, SearchSettings()).to_json()
    assert _without_timing(payload) == _without_timing(expected)
    assert set(payload) >= {"question", "mode", "answer", "passages", "took_ms"}


def test_ask_takes_keywords_and_defaults(api, fake_index):
    _, client = api
    payload = client.predict(question=META, k=2, mode="bm25", api_name="/ask")
    expected = ask(fake_index, META, SearchSettings(mode=Mode.BM25, k=2)).to_json()
    assert _without_timing(payload) == _without_timing(expected)
    assert client.predict(META, api_name="/ask")["mode"] == "hybrid"


def test_ask_filters_by_source_and_fuses_by_weight(api):
    _, client = api
    payload = client.predict(question=META, k=4, fusion="weighted", alpha=0.2,
                             sources=[META_SOURCE], api_name="/ask")
    assert payload["passages"] and {p["source"] for p in payload["passages"]} == {META_SOURCE}


@pytest.mark.parametrize(("kwargs", "says"), [
    ({"question": ""}, "the question is empty"),
    ({"question": "x" * 5000}, "too long"),
    ({"question": META, "mode": "fuzzy"}, "valid modes"),
    ({"question": META, "sources": ["/etc/passwd"]}, "not in the index"),
])
def test_bad_requests_get_the_friendly_message(api, kwargs, says):
    from gradio_client.exceptions import AppError

    _, client = api
    with pytest.raises(AppError, match=says):
        client.predict(**kwargs, api_name="/ask")


def test_only_ask_is_public(api):
    _, client = api
    info = client.view_api(print_info=False, return_format="dict")
    assert list(info["named_endpoints"]) == ["/ask"]
    params = [p["parameter_name"] for p in info["named_endpoints"]["/ask"]["parameters"]]
    assert params == ["question", "k", "mode", "fusion", "alpha", "sources"]


def test_a_slow_question_does_not_block_other_readers(fake_index):
    release, started = threading.Event(), threading.Event()

    def slow_ask(index, question, settings=None, **kwargs):
        if question == SLOW:
            started.set()
            assert release.wait(60), "the test never released the slow question"
        return ask(index, question, settings, **kwargs)

    with running_app(fake_index, ask_fn=slow_ask) as url:
        client = _client(url)
        try:
            job = client.submit(SLOW, api_name="/ask")
            assert started.wait(60)
            # Answered while the slow question still holds its worker.
            fast = client.submit(META, 3, "bm25", api_name="/ask")
            assert fast.result(timeout=30)["passages"]
            assert not job.done()
        finally:
            release.set()
        assert job.result(timeout=60)["question"] == SLOW


def _plain_http(url: str, data: list) -> tuple[str, object]:
    """POST to the endpoint the way curl would (no gradio_client), then read its result:
    (event name, payload)."""
    import json
    import urllib.request

    request = urllib.request.Request(
        f"{url}gradio_api/call/ask", data=json.dumps({"data": data}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        event_id = json.loads(response.read())["event_id"]
    with urllib.request.urlopen(f"{url}gradio_api/call/ask/{event_id}", timeout=60) as response:
        lines = response.read().decode().splitlines()
    event = next(line.split(": ", 1)[1] for line in lines if line.startswith("event: "))
    payload = json.loads(next(line.split(": ", 1)[1] for line in lines
                              if line.startswith("data: ")))
    return event, payload


def test_plain_http_with_the_readmes_three_arguments(api, fake_index):
    url, _ = api
    event, payload = _plain_http(url, [META, 5, "hybrid"])
    assert event == "complete"
    expected = ask(fake_index, META, SearchSettings()).to_json()
    assert _without_timing(payload[0]) == _without_timing(expected)
    event, payload = _plain_http(url, [META])  # the question alone: every default
    assert event == "complete" and payload[0]["mode"] == "hybrid"


@pytest.mark.parametrize(("data", "says"), [
    ([META, "1e999", "hybrid"], "k must be a whole number"),
    ([META, float("inf"), "hybrid"], "k must be a whole number"),
    ([META, [1], "hybrid"], "k must be a whole number"),
    ([META, {}, "hybrid"], "k must be a whole number"),
    ([META, 5, "hybrid", "weighted", [0.5]], "alpha must be a number"),
    ([META, 5, "hybrid", None, None, [1, None, {}]], "sources must be a list"),
    ([12345], "question must be text"),
])
def test_bad_arguments_get_a_clear_error_over_http(api, data, says):
    url, _ = api
    event, payload = _plain_http(url, data)
    assert event == "error"
    assert says in payload["error"]
