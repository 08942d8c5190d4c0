"""A facilitator's first visit, in a real browser: sign up, out, in, and switch languages."""

import re

from playwright.sync_api import expect

from .conftest import check_accessibility


def test_sign_up_sign_out_sign_in_and_switch_language(new_page):
    page = new_page()
    page.goto("/")
    check_accessibility(page)

    page.get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(re.compile(r"/signup$"))
    check_accessibility(page)
    # A mistake first: the error appears next to the field and the typing stays.
    page.get_by_label("Your name").fill("Мария Иванова")
    page.get_by_label("Email").fill("maria@example.bg")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat the password").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#password-error")).to_contain_text("at least 8 characters")
    expect(page.get_by_label("Email")).to_have_value("maria@example.bg")
    check_accessibility(page)

    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Repeat the password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Мария Иванова")
    check_accessibility(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")

    page.get_by_role("navigation").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill("maria@example.bg")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    # Switch to Bulgarian with the keyboard alone.
    page.get_by_label("Language").focus()
    page.keyboard.press("End")  # the options are pl, bg, en: select bg below
    page.get_by_label("Language").select_option("bg")
    page.get_by_role("button", name="Change").press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "bg")
    expect(page.get_by_role("heading", level=1)).to_have_text("Здравейте, Мария Иванова")
    expect(page.get_by_role("button", name="Изход")).to_be_visible()
    check_accessibility(page)

    # The choice survives a reload and a new page.
    page.goto("/account")
    expect(page.get_by_role("heading", level=1)).to_have_text("Вашият профил")

    page.get_by_label("Език").select_option("en")
    page.get_by_role("button", name="Смени").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    check_accessibility(page)


def test_phone_width_layout_has_no_horizontal_scroll(new_page):
    page = new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/signin", "/signup"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360 px"
    check_accessibility(page)


def test_skip_link_is_first_and_moves_focus_to_main(new_page):
    page = new_page()
    page.goto("/signin")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
