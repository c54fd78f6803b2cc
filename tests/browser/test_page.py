"""The preview page in a real browser: served by the real `herald serve`, every golden message pasted and drawn for
every service, hostile text shown literally with no element made from it and no script run, no request outside the
page's own origin, keyboard and labels, the built-message form, and `herald render --open` from disk.
Screenshots of every pane go to .build/screenshots/ (not compared)."""

import base64
import html.parser
import json
import pathlib
import re
import subprocess
import unicodedata
import urllib.parse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ROOT, SCREENSHOTS, console_problems, requested_urls

POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
          "form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
SERVICES = ["markdown", "signal", "scilog", "teams", "telegram", "slack", "discord", "pushover", "pushbullet", "sms", "email", "webhook"]
GOLDEN = sorted(path.parent for path in (ROOT / "golden").glob("*/message.json"))
EXAMPLES = sorted((ROOT / "Examples").glob("*.json"))
# What the page itself requests from its server; everything else (another origin, another path) is a failure.
OWN_PATHS = {"/", "/page.js", "/page.css", "/v1/render/all", "/favicon.ico"}


def open_page(driver, server):
    console_problems(driver)  # what earlier tests left in the log
    driver.get(server.base + "/")
    requested_urls(driver)  # the page's own load is checked in test_page_loads_only_its_own_files
    driver.find_element(By.ID, "token").clear()
    driver.find_element(By.ID, "token").send_keys(server.token)


def paste(driver, text):
    """Puts `text` in the message field as a paste does (an input event), without typing it key by key."""
    field = driver.find_element(By.ID, "message-json")
    driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", field, text)


def render(driver, files=()):
    if files:
        driver.find_element(By.ID, "attachment-files").send_keys("\n".join(str(path) for path in files))
    driver.find_element(By.ID, "render").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "status").text.startswith(("Rendered", "error")))
    status = driver.find_element(By.ID, "status").text
    assert status.startswith("Rendered for 12 services"), status


def pane_texts(driver):
    """Each pane's text without the page's own loss markers (⚠n)."""
    return driver.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('#results section.service')].map(s => {"
        "  const pane = s.querySelector('.pane').cloneNode(true); pane.querySelectorAll('sup.lost-marker').forEach(m => m.remove());"
        "  return [s.dataset.service, pane.textContent]; }))")


def element_counts(driver):
    """Per service pane, how many elements of each tag it holds (the page's loss marks left out)."""
    return driver.execute_script(
        "const counts = {};"
        "for (const s of document.querySelectorAll('#results section.service')) {"
        "  const c = {}; for (const e of s.querySelectorAll('.pane *')) {"
        "    if (e.matches('mark.lost, sup.lost-marker')) continue; c[e.localName] = (c[e.localName] || 0) + 1; }"
        "  counts[s.dataset.service] = c; }"
        "return counts;")


def assert_only_own_requests(driver, server):
    for url in requested_urls(driver):
        if url.startswith("data:"):
            continue
        parsed = urllib.parse.urlsplit(url)
        assert f"{parsed.scheme}://{parsed.netloc}" == server.base and parsed.path in OWN_PATHS, f"the page requested {url}"


def path_files(message_file):
    """The files a message names by `path`, which the page sends inline (the server reads no file)."""
    message = json.loads(message_file.read_text())
    return [message_file.parent / part["path"] for part in message.get("parts", []) if isinstance(part, dict) and "path" in part]


def screenshot_panes(driver, name):
    folder = SCREENSHOTS / name
    folder.mkdir(parents=True, exist_ok=True)
    for section in driver.find_elements(By.CSS_SELECTOR, "#results section.service"):
        section.screenshot(str(folder / (section.get_attribute("data-service") + ".png")))


def user_texts(message):
    """The sender's text runs, title and tags of a herald.message/v1 message, or a BEC notification's plain contents."""
    texts = [message["title"]] if isinstance(message.get("title"), str) else []
    for part in message.get("parts", []):
        if part.get("type") == "text":
            texts.append(part["text"])
        if part.get("type") == "tags":
            texts.extend(part["tags"])
    for part in message.get("message", []):
        if "content" in part and not part["content"].startswith("<p>"):
            texts.append(part["content"])
    return texts


class TagCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        assert tag != "style" and not any(name == "style" or name.startswith("on") for name, _ in attrs), (tag, attrs)
        if tag == "script":
            assert dict(attrs).get("src") == "page.js", attrs


def test_page_and_assets_carry_the_policy(server):
    for path, media_type in [("/", "text/html"), ("/page.js", "text/javascript"), ("/page.css", "text/css")]:
        status, headers, body = server.get(path)
        assert status == 200
        assert headers["Content-Type"].startswith(media_type)
        assert headers["Content-Security-Policy"] == POLICY
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert body == (ROOT / "Sources/HeraldServer/Page" / ("index.html" if path == "/" else path[1:])).read_bytes()
    collector = TagCollector()
    collector.feed(server.get("/")[2].decode())
    assert "script" in collector.tags  # one, external: no inline script, style element or handler


def test_page_loads_only_its_own_files(driver, server):
    requested_urls(driver), console_problems(driver)  # what earlier tests left in the logs
    driver.get(server.base + "/")
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#build-runs .run"))
    assert_only_own_requests(driver, server)
    assert console_problems(driver) == []


@pytest.mark.parametrize("case", GOLDEN + EXAMPLES, ids=lambda path: path.name if path.is_dir() else path.stem)
def test_message_drawn_for_every_service(driver, server, case):
    message_file = case / "message.json" if case.is_dir() else case
    open_page(driver, server)
    paste(driver, message_file.read_text())
    render(driver, path_files(message_file))
    sections = driver.find_elements(By.CSS_SELECTOR, "#results section.service")
    assert [section.get_attribute("data-service") for section in sections] == SERVICES
    texts = pane_texts(driver)
    for service in SERVICES:
        assert driver.find_element(By.CSS_SELECTOR, f"#pane-{service} .pane .message"), service
        assert not driver.find_elements(By.CSS_SELECTOR, f"#pane-{service} .pane .error"), (service, texts[service][:300])
    # User text that looks like HTML is shown as text: no element of a tag the user wrote that the page never makes
    # itself, and no image with a source that is not a data: URI (an image the page could not load inertly).
    message = json.loads(message_file.read_text())
    written = {tag.lower() for text in user_texts(message) for tag in re.findall(r"<([a-zA-Z][a-zA-Z0-9-]*)", text)}
    counts = element_counts(driver)
    for service, count in counts.items():
        for tag in written - {"b", "i", "em", "strong", "p", "mark", "td", "a", "img"}:
            assert tag not in count, f"{service}: a <{tag}> element was made from the message's text"
    assert driver.execute_script("return [...document.querySelectorAll('#results img')].filter(i => !i.src.startsWith('data:')).length") == 0
    assert_only_own_requests(driver, server)
    assert console_problems(driver) == []
    screenshot_panes(driver, message_file.parent.name if case.is_dir() else message_file.stem)


def hostile_strings():
    """Tests/Resources/hostile-strings.txt, unescaped as HostileCorpus.swift does, without control characters
    (which a message refuses in some places; the golden control-character case covers them)."""
    strings = []
    for line in (ROOT / "Tests/Resources/hostile-strings.txt").read_text().splitlines():
        if not line or line.startswith("# "):
            continue
        text = re.sub(r"\\u\{([0-9A-Fa-f]+)\}", lambda m: chr(int(m.group(1), 16)), line)
        text = text.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r").replace("\\\\", "\\")
        if not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text):
            strings.append(text)
    return strings


def flattened(text):
    """Text as a reader compares it: white space (a no-break space too) as one space, zero-width spaces and word joiners (which Slack's and Telegram's
    renderer adds between markers) left out."""
    return " ".join(re.sub("[\u200b\u2060]", "", text.replace("\u00a0", " ")).split())


def neutral(text):
    """A harmless string of the same length."""
    return re.sub(r"[^ ]", "x", text)


def message_of(strings):
    parts = []
    for index, text in enumerate(strings):
        parts.append({"type": "text", "text": text, "bold": index % 2 == 1})
        parts.append({"type": "text", "text": "\n\n"})
    return json.dumps({"format": "herald.message/v1", "parts": parts[:-1]})


def test_hostile_corpus_shown_literally_and_inert(driver, server):
    strings = hostile_strings()
    assert len(strings) > 50
    flags = ['<img src=x onerror="window.heraldFlag=1">', "<script>window.heraldFlag=2</script>", '<svg onload="window.heraldFlag=3">',
             '<a href="javascript:window.heraldFlag=4">x</a>', '<iframe srcdoc="<script>parent.heraldFlag=5</script>">']
    chunks = [[]]
    for text in strings:  # messages of about 600 characters, within every service's single-message limits
        if sum(map(len, chunks[-1])) + len(text) > 600 and chunks[-1]:
            chunks.append([])
        chunks[-1].append(text)
    chunks.append(flags)
    for chunk in chunks:
        open_page(driver, server)
        paste(driver, message_of(chunk))
        render(driver)
        texts = pane_texts(driver)
        hostile_counts = element_counts(driver)
        # Every pane shows every string as a reader sees it (but the webhook's JSON, whose escapes are JSON's, and a
        # pane whose report says the text was cut).
        truncated = {section.get_attribute("data-service") for section in driver.find_elements(By.CSS_SELECTOR, "#results section.service")
                     if section.find_elements(By.CSS_SELECTOR, ".report li[data-kind=truncated]")}
        for service in set(SERVICES) - {"webhook"} - truncated:
            flat = flattened(texts[service])
            for text in chunk:
                # Format characters (bidi overrides), noncharacters, private use and separators: services replace
                # some (and report it); the golden control-character and whitespace cases cover them.
                if not any(unicodedata.category(c) in {"Cf", "Cn", "Co", "Cs", "Zl", "Zp"} for c in text):
                    assert flattened(text) in flat, f"{service} does not show {text!r} literally"
        assert driver.execute_script("return window.heraldFlag === undefined && window.parent.heraldFlag === undefined")
        # The same message with harmless text of the same shape: the panes hold as many elements of every tag the
        # hostile text writes (a renderer may split runs differently around template or mention syntax, so other
        # tags may differ), so none was made from the hostile text.
        written = {tag.lower() for text in chunk for tag in re.findall(r"<([a-zA-Z][a-zA-Z0-9-]*)", text)}
        open_page(driver, server)
        paste(driver, message_of([neutral(text) for text in chunk]))
        render(driver)
        neutral_counts = element_counts(driver)
        for service in SERVICES:
            for tag in written:
                assert hostile_counts[service].get(tag, 0) == neutral_counts[service].get(tag, 0), f"{service}: <{tag}> made from the text"
        assert_only_own_requests(driver, server)
        assert console_problems(driver) == []


def test_report_marks_the_lost_part_and_payload_switch(driver, server):
    example = ROOT / "Examples/sample_mount_failed.json"
    open_page(driver, server)
    paste(driver, example.read_text())
    render(driver, path_files(example))
    # Signal shows no color: the red run is marked in the bubble and the note is numbered beside it.
    marks = driver.find_elements(By.CSS_SELECTOR, "#pane-signal mark.lost")
    assert [mark.text for mark in marks] == ["Sample mount failed⚠1", "Robot arm stopped⚠2", "robot manual, section 4⚠3"]
    mark = marks[1]
    assert "⚠" in mark.find_element(By.CSS_SELECTOR, ".lost-marker").text
    note = driver.find_element(By.ID, mark.get_attribute("aria-describedby"))
    assert "color red not shown on Signal" in note.text
    # The bold ranges of Signal's textStyle (the title, the red run) are drawn bold.
    bold = [span.text for span in driver.find_elements(By.CSS_SELECTOR, "#pane-signal .bubble span.s-bold")]
    assert bold == ["Sample mount failed⚠1", "Robot arm stopped⚠2"]
    toggle = driver.find_element(By.CSS_SELECTOR, "#pane-signal .payload-toggle")
    payload = driver.find_element(By.ID, "pane-signal-payload")
    assert not payload.is_displayed()
    toggle.send_keys(Keys.ENTER)
    assert payload.is_displayed() and toggle.get_attribute("aria-expanded") == "true"
    assert json.loads(payload.text)["textStyle"] == ["0:19:BOLD", "21:17:BOLD"]


def test_split_rendering_is_several_bubbles(driver, server):
    huge = ROOT / "golden/18-huge-message/message.json"
    open_page(driver, server)
    paste(driver, huge.read_text())
    render(driver)
    signal = json.loads((ROOT / "golden/18-huge-message/signal.json").read_text())
    assert len(driver.find_elements(By.CSS_SELECTOR, "#pane-signal .message .bubble")) == len(signal)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#pane-telegram .message")) == len(json.loads((ROOT / "golden/18-huge-message/telegram.json").read_text()))


def test_every_control_is_labelled_and_the_page_works_from_the_keyboard(driver, server):
    driver.get(server.base + "/")
    unlabelled = driver.execute_script(
        "return [...document.querySelectorAll('input, select, textarea')].filter(c => !c.labels || !c.labels.length).map(c => c.outerHTML)"
        ".concat([...document.querySelectorAll('button')].filter(b => !b.textContent.trim()).map(b => b.outerHTML))")
    assert unlabelled == []
    # Tab from the start of the page reaches the token field, the message field and the render button in order.
    reached = []
    for _ in range(40):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        reached.append(driver.switch_to.active_element.get_attribute("id"))
        if reached[-1] == "render":
            break
    assert reached.index("token") < reached.index("message-json") < reached.index("render")
    driver.find_element(By.ID, "token").clear()
    driver.find_element(By.ID, "token").send_keys(server.token)
    driver.find_element(By.ID, "message-json").send_keys('{"parts": [{"type": "text", "text": "typed", "italic": true}]}')
    driver.find_element(By.ID, "render").send_keys(Keys.ENTER)
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "status").text.startswith("Rendered"))
    assert driver.find_element(By.CSS_SELECTOR, "#pane-signal .bubble span.s-italic").text == "typed"


def test_built_message_with_styles_tags_and_an_image(driver, server, tmp_path):
    picture = tmp_path / "dot.png"
    picture.write_bytes(base64.b64decode(json.loads((ROOT / "golden/09-image-attachment/message.json").read_text())["parts"][1]["data"]))
    open_page(driver, server)
    driver.find_element(By.ID, "builder").click()
    driver.find_element(By.ID, "build-title").send_keys("Beam lost")
    run = driver.find_element(By.CSS_SELECTOR, "#build-runs .run")
    run.find_element(By.CSS_SELECTOR, ".run-text").send_keys("Shutter closed")
    run.find_element(By.CSS_SELECTOR, ".run-bold").click()
    run.find_element(By.CSS_SELECTOR, ".run-color").send_keys("red")
    run.find_element(By.CSS_SELECTOR, ".run-link").send_keys("https://example.org/status")
    driver.find_element(By.ID, "build-tags").send_keys("x12sa, beam")
    driver.find_element(By.ID, "build-image").send_keys(str(picture))
    driver.find_element(By.ID, "build-use").click()
    WebDriverWait(driver, 10).until(lambda d: "Shutter closed" in d.find_element(By.ID, "message-json").get_property("value"))
    built = json.loads(driver.find_element(By.ID, "message-json").get_property("value"))
    assert built["title"] == "Beam lost"
    assert built["parts"][0] == {"type": "text", "text": "Shutter closed", "bold": True, "color": "red", "link": "https://example.org/status"}
    assert built["parts"][1] == {"type": "tags", "tags": ["x12sa", "beam"]}
    assert built["parts"][2]["filename"] == "dot.png" and built["parts"][2]["mime_type"] == "image/png"
    render(driver)
    assert driver.find_element(By.CSS_SELECTOR, "#pane-scilog mark.pen-red strong").text == "Shutter closed"
    assert driver.find_element(By.CSS_SELECTOR, "#pane-teams .t-attention").text == "Shutter closed"
    assert driver.find_element(By.CSS_SELECTOR, "#pane-signal .bubble img").get_attribute("src").startswith("data:image/png;base64,")
    assert driver.find_element(By.CSS_SELECTOR, "#pane-email .email-body img").get_attribute("src").startswith("data:image/png;base64,")
    assert_only_own_requests(driver, server)


def test_a_refused_message_shows_the_error_line(driver, server):
    open_page(driver, server)
    paste(driver, '{"parts": [{"type": "text", "text": "x", "color": "orange"}]}')
    driver.find_element(By.ID, "render").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "status").text.startswith("error"))
    status = driver.find_element(By.ID, "status")
    assert "parts[0].color" in status.text and status.get_attribute("role") == "alert"


def test_render_open_writes_a_page_that_works_from_disk(driver, herald, tmp_path):
    example = ROOT / "Examples/sample_mount_failed.json"
    result = subprocess.run([herald, "render", "--open", str(example)], capture_output=True, text=True, check=True,
                            env={"TMPDIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    index = pathlib.Path(result.stdout.strip())
    requested_urls(driver), console_problems(driver)  # what earlier tests left in the logs
    assert index.parent.parent == tmp_path and index.name == "index.html"
    driver.get(index.as_uri())
    WebDriverWait(driver, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#results section.service")) == 12)
    assert not driver.find_element(By.ID, "message-input").is_displayed()
    assert "Robot arm stopped" in pane_texts(driver)["teams"]
    assert driver.find_element(By.CSS_SELECTOR, "#pane-signal mark.lost")
    for url in requested_urls(driver):
        assert url.startswith("data:") or url.startswith(index.parent.as_uri() + "/"), f"the page requested {url}"
    assert console_problems(driver) == []
    screenshot_panes(driver, "open-sample_mount_failed")
