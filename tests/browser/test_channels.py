"""The page's channels in a real browser, against the real `herald serve`: a feature toggled stays toggled after a
reload, a channel created in the form of its service's declared settings with its error shown beside the setting it
names, a test message sent to a local receiver and its success shown, no secret in the page, nothing asked of another
origin. A screenshot of the channel pane goes to .build/screenshots/channels/ (not compared)."""

import json
import re
import urllib.error
import urllib.parse
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import SCREENSHOTS, console_problems, requested_urls

# The API paths the channel pane calls, besides the page's own files.
API_PATH = re.compile(r"^/v1/(destinations(/[^/]+/[^/]+(/toggles|/deliveries)?)?|services(/[^/]+/scopes/[^/]+/test)?)$")
OWN_FILES = {"/", "/page.js", "/page.css", "/favicon.ico"}


def api(server, method, path, body=None):
    request = urllib.request.Request(server.base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + server.admin_token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def open_channels(driver, server, token):
    """Loads the page with `token` in the token field and shows the channels."""
    console_problems(driver)
    driver.get(server.base + "/")
    requested_urls(driver)
    field = driver.find_element(By.ID, "token")
    field.clear()
    field.send_keys(token)
    driver.find_element(By.ID, "channels-load").click()
    wait_for_text(driver, "channels-status", "channel")


def wait_for_text(driver, element_id, fragment):
    WebDriverWait(driver, 20).until(lambda d: fragment in d.find_element(By.ID, element_id).text or "error:" in d.find_element(By.ID, element_id).text)
    text = driver.find_element(By.ID, element_id).text
    assert fragment in text, text
    return text


def card(driver, destination):
    return driver.find_element(By.CSS_SELECTOR, f'#channel-list article.channel[data-destination="{destination}"]')


def toggle_box(driver, destination, feature):
    selector = f'input.toggle[data-feature="{feature}"]'
    WebDriverWait(driver, 20).until(lambda d: card(d, destination).find_elements(By.CSS_SELECTOR, selector))
    return card(driver, destination).find_element(By.CSS_SELECTOR, selector)


def card_status(driver, destination, fragment):
    WebDriverWait(driver, 20).until(lambda d: card(d, destination).find_element(By.CSS_SELECTOR, ".channel-status").text)
    text = card(driver, destination).find_element(By.CSS_SELECTOR, ".channel-status").text
    assert fragment in text, text
    return text


def assert_only_own_requests(driver, server):
    for url in requested_urls(driver):
        parsed = urllib.parse.urlsplit(url)
        assert f"{parsed.scheme}://{parsed.netloc}" == server.base, f"the page requested {url}"
        assert parsed.path in OWN_FILES or API_PATH.match(parsed.path), f"the page requested {url}"


def test_a_toggled_feature_stays_toggled_after_a_reload(driver, server):
    open_channels(driver, server, server.admin_token)
    destination = "markdown/chat"
    box = toggle_box(driver, destination, "print_cancelled")
    assert not box.is_selected()  # off by default
    assert "off, the default" in box.find_element(By.XPATH, "../..").text
    box.send_keys(Keys.SPACE)  # the keyboard, as a user without a mouse
    card_status(driver, destination, "turned on")
    driver.refresh()  # the token stays in this tab's sessionStorage
    driver.find_element(By.ID, "channels-load").click()
    wait_for_text(driver, "channels-status", "channel")
    box = toggle_box(driver, destination, "print_cancelled")
    assert box.is_selected()
    assert "on, set here" in box.find_element(By.XPATH, "../..").text
    status, answer = api(server, "GET", "/v1/destinations/markdown/chat/toggles")
    assert status == 200 and {t["feature"]: t["on"] for t in answer["toggles"]}["print_cancelled"] is True
    card(driver, destination).find_element(By.XPATH, './/button[starts-with(., "Back to the default for")]').click()
    card_status(driver, destination, "back to its default")
    assert not toggle_box(driver, destination, "print_cancelled").is_selected()
    status, answer = api(server, "GET", "/v1/destinations/markdown/chat/toggles")
    assert {t["feature"]: t["default"] for t in answer["toggles"]}["print_cancelled"] is True
    assert_only_own_requests(driver, server)
    assert console_problems(driver) == []


def test_a_notify_token_cannot_toggle_and_the_page_says_so(driver, server):
    open_channels(driver, server, server.token)
    box = toggle_box(driver, "markdown/chat", "print_done")
    assert box.is_selected()
    box.click()
    text = card_status(driver, "markdown/chat", "error:")
    assert card(driver, "markdown/chat").find_element(By.CSS_SELECTOR, ".channel-status").get_attribute("role") == "alert"
    assert "admin" in text, text
    assert toggle_box(driver, "markdown/chat", "print_done").is_selected()  # unchanged, as on the server
    status, answer = api(server, "GET", "/v1/destinations/markdown/chat/toggles")
    assert {t["feature"]: t["on"] for t in answer["toggles"]}["print_done"] is True


def test_a_channel_created_in_the_form_takes_a_test_message(driver, server, receiver):
    secret_url = receiver.url + "/hooks/bench-" + "s3cr3t"
    open_channels(driver, server, server.admin_token)
    form = driver.find_element(By.ID, "channel-new")
    # The form asks for the chosen service's declared scope settings, and changes with the service.
    form.find_element(By.CSS_SELECTOR, "#channel-new-service option[value=signal]").click()
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, '#channel-new input.setting-field[data-setting="group_id"]'))
    recipients = form.find_element(By.CSS_SELECTOR, 'input.setting-field[data-setting="recipients"]')
    assert recipients.get_attribute("placeholder") == '["+41445550199"]' and recipients.get_attribute("aria-required") is None
    assert "not both" in driver.find_element(By.ID, recipients.get_attribute("id") + "-help").text
    form.find_element(By.CSS_SELECTOR, "#channel-new-service option[value=markdown]").click()
    WebDriverWait(driver, 20).until(lambda d: not d.find_elements(By.CSS_SELECTOR, '#channel-new input.setting-field[data-setting="group_id"]'))
    url = form.find_element(By.CSS_SELECTOR, 'input.setting-field[data-setting="url"]')
    url_id = url.get_attribute("id")
    assert url.get_attribute("type") == "password" and url.get_attribute("aria-required") == "true"
    assert form.find_element(By.CSS_SELECTOR, f'label[for="{url_id}"]').text == "url (required) (secret)"
    assert "webhook" in driver.find_element(By.ID, url_id + "-help").text
    body_field = form.find_element(By.CSS_SELECTOR, 'input.setting-field[data-setting="body_field"]')
    assert body_field.get_attribute("type") == "text" and body_field.get_attribute("placeholder") == "text"
    driver.find_element(By.ID, "channel-new-name").send_keys("bad name!")
    driver.find_element(By.ID, "channel-new-create").click()
    wait_for_text(driver, "channel-new-status", "error:")
    name_error = driver.find_element(By.ID, "channel-new-name-error")
    assert name_error.is_displayed() and "name" in name_error.text, name_error.text
    assert driver.find_element(By.ID, "channel-new-name").get_attribute("aria-describedby") == "channel-new-name-error"

    driver.find_element(By.ID, "channel-new-name").clear()
    driver.find_element(By.ID, "channel-new-name").send_keys("bench")
    driver.find_element(By.ID, "channel-new-create").click()
    # The plugin names the missing setting; the page shows its error beside that declared field.
    WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, url_id).get_attribute("aria-invalid") == "true")
    error = driver.find_element(By.ID, url_id + "-error")
    assert error.is_displayed() and "config.url" in error.text, error.text
    assert driver.find_element(By.ID, url_id).get_attribute("aria-describedby") == f"{url_id}-error {url_id}-help"
    driver.find_element(By.ID, url_id).send_keys(secret_url)
    # A setting no field declares goes in a free row; the plugin's refusal of it shows beside that row.
    row = form.find_element(By.CSS_SELECTOR, ".setting")
    row.find_element(By.CSS_SELECTOR, ".setting-name").send_keys("colour")
    row.find_element(By.CSS_SELECTOR, ".setting-value").send_keys("red")
    driver.find_element(By.ID, "channel-new-create").click()
    WebDriverWait(driver, 20).until(lambda d: row.find_element(By.CSS_SELECTOR, ".setting-value").get_attribute("aria-invalid") == "true")
    assert "config.colour" in row.find_element(By.CSS_SELECTOR, ".field-error").text
    assert driver.find_element(By.ID, url_id).get_attribute("aria-invalid") is None
    row.find_element(By.CSS_SELECTOR, ".setting-name").clear()
    driver.find_element(By.ID, "channel-new-create").click()
    wait_for_text(driver, "channel-new-status", "Created markdown/bench")
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, 'article.channel[data-destination="markdown/bench"]'))

    destination = "markdown/bench"
    assert "url\nset (secret, never shown)" in card(driver, destination).text
    # Each card lists the service-wide variables and its own scope's: the file's chat URL is chat's, not bench's.
    assert "HERALD_BROWSER_CHAT_URL (Markdown webhook URL of scope chat) ✓ set" in card(driver, "markdown/chat").text
    assert "HERALD_BROWSER_CHAT_URL" not in card(driver, destination).text
    card(driver, destination).find_element(By.CSS_SELECTOR, "button.send-test").click()
    text = card_status(driver, destination, "Test sent")
    assert "✓ Test sent: markdown/bench answered HTTP 200" in text
    assert len(receiver.requests) == 1
    path, body = receiver.requests[0]
    assert path == "/hooks/bench-s3cr3t" and isinstance(body.get("text"), str) and body["text"]

    # A notification routed to the channel appears among its last deliveries with its state.
    assert card(driver, destination).find_element(By.CSS_SELECTOR, "ol.deliveries").text == "No delivery yet."
    assert api(server, "PUT", "/v1/routes", {"event": "bench_done", "service": "markdown", "scopes": ["bench"]})[0] == 200
    status, receipt = api(server, "POST", "/v1/notifications", {"event": "bench_done", "message": "Bench <b>done</b>"})
    assert status == 202
    # The worker delivers it: wait on the server's own state (the deterministic signal), then refresh the card.
    WebDriverWait(driver, 30).until(lambda d: api(server, "GET", "/v1/notifications/" + receipt["id"])[1]["deliveries"][0]["state"] == "delivered")
    card(driver, destination).find_element(By.XPATH, './/button[starts-with(., "Refresh the deliveries of")]').click()
    WebDriverWait(driver, 20).until(lambda d: "delivered" in card(d, destination).find_element(By.CSS_SELECTOR, "ol.deliveries").text)
    item = card(driver, destination).find_element(By.CSS_SELECTOR, "ol.deliveries li.delivery")
    assert item.get_attribute("data-state") == "delivered" and item.text.startswith("✓ delivered bench_done"), item.text
    assert [path for path, _ in receiver.requests] == ["/hooks/bench-s3cr3t"] * 2

    driver.refresh()
    driver.find_element(By.ID, "channels-load").click()
    wait_for_text(driver, "channels-status", "channel")
    WebDriverWait(driver, 20).until(lambda d: card(d, destination).find_elements(By.CSS_SELECTOR, "ol.deliveries li.delivery"))
    assert "s3cr3t" not in driver.page_source  # the secret was sent once, never back
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "channels").mkdir(exist_ok=True)
    # A window as tall as the pane, so that the screenshot holds all of it, then the usual size again.
    size = driver.get_window_size()
    height = driver.execute_script("return Math.ceil(document.getElementById('channels').getBoundingClientRect().height)")
    driver.set_window_size(size["width"], min(height + 200, 6000))
    driver.execute_script("document.getElementById('channels').scrollIntoView()")
    driver.find_element(By.ID, "channels").screenshot(str(SCREENSHOTS / "channels" / "channels.png"))
    driver.set_window_size(size["width"], size["height"])
    assert_only_own_requests(driver, server)
    # The refusals above are logged as failed loads (source "network"); a CSP violation or a script error is not.
    assert [problem for problem in console_problems(driver) if problem["source"] != "network"] == []

    api(server, "DELETE", "/v1/routes?event=bench_done&service=markdown&scope=bench")
    card(driver, destination).find_element(By.CSS_SELECTOR, "details.channel-edit summary").click()
    card(driver, destination).find_element(By.XPATH, './/button[. = "Remove Markdown · bench"]').click()
    wait_for_text(driver, "channels-status", "Removed Markdown · bench.")
    assert api(server, "GET", "/v1/destinations/markdown/bench")[0] == 404


def test_every_channel_control_has_a_label(driver, server):
    open_channels(driver, server, server.admin_token)
    unlabelled = driver.execute_script(
        "return [...document.querySelectorAll('#channels input, #channels select, #channels button, #channels summary')]"
        ".filter(e => !(e.labels && e.labels.length) && !e.textContent.trim() && !e.getAttribute('aria-label'))"
        ".map(e => e.outerHTML);")
    assert unlabelled == []
