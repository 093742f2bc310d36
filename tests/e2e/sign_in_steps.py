"""Browser steps of a signed-in analyst: through the provider's form, a saved connection, out."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from harness.browser import wait_for_app
from harness.dashboard import Dashboard


def sign_in(page: Page, base_url: str, sub: str, name: str, link: str = "/") -> None:
    """From the sign-in page `link` of the dashboard at `base_url` shows (a replica set's
    HAProxy too), through the provider's form, back signed in."""
    page.goto(base_url + link)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Sign in to use the dashboard")).to_be_visible()
    page.get_by_test_id("stMain").get_by_role("button", name="Sign in with 127.0.0.1").click()
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base_url}/**")
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar")).to_contain_text(f"Signed in as {name}")


def connect_custom(page: Page, api_url: str, token: str) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Custom URL").click()
    wait_for_app(page)
    url_field = sidebar.get_by_label("API URL")
    url_field.fill(api_url)
    url_field.press("Enter")
    wait_for_app(page)
    token_field = sidebar.get_by_label("API token", exact=True)
    token_field.fill(token)
    token_field.press("Enter")
    expect(sidebar).to_contain_text("Connection saved for your next visit", timeout=30_000)


def uses_saved_connection(page: Page) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("Using your saved token", timeout=30_000)
    # The token is never sent back to the browser, not even into the masked field.
    expect(sidebar.get_by_label("API token", exact=True)).to_have_value("")


def forget_me(page: Page) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("button", name="Forget me").click()
    sidebar.get_by_role("button", name="Yes, forget me").click()
    _end_provider_session(page)


def sign_out(page: Page, dashboard: Dashboard) -> None:
    page.goto(dashboard.url)
    wait_for_app(page)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    _end_provider_session(page)
    expect(page.get_by_role("heading", name="Sign in to use the dashboard")).to_be_visible(
        timeout=30_000
    )


def _end_provider_session(page: Page) -> None:
    """The provider asks to confirm the end of its session, then sends the browser back."""
    end = page.get_by_role("button", name="End session")
    end.click(timeout=30_000)
    wait_for_app(page)
