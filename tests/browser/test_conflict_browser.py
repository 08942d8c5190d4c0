"""The conflict panel on a venue's slow Wi-Fi: the merged text someone types is what gets saved."""

from playwright.sync_api import expect

from .test_workspace_browser import join, scene  # noqa: F401 (scene is a fixture)

CONFLICT = "Someone else changed this answer: choose what to keep below."


class SlowSaves:
    """Holds a page's saves (POSTs to a field) until the test lets them through: a slow network
    whose every answer arrives when the test says, so no test waits on a clock."""

    def __init__(self, page):
        self.page, self.held = page, []
        page.route("**/fields/*", self._hold)

    def _hold(self, route):
        if route.request.method == "POST":
            self.held.append(route)
        else:
            route.continue_()

    def wait_for_one(self):
        """Wait until a save has reached the (slow) network."""
        for _ in range(1000):  # each round trip to the browser lets the route handler run
            if self.held:
                return
            self.page.evaluate("0")
        raise AssertionError("no save reached the network")

    def release(self):
        while self.held:
            self.held.pop(0).continue_()

    def stop(self):
        self.release()
        self.page.unroute("**/fields/*")


def conflict_between(ana, boris, scene, theirs, mine):
    """Boris types `mine`; Ana's `theirs` is saved first; Boris gets the conflict panel."""
    join(ana, scene, "Ана")
    join(boris, scene, "Борис")
    network = SlowSaves(boris)
    field = f"#answer-{scene['fields']['description']}"
    status = boris.locator(f"{field}-status")
    boris.locator(field).fill(mine)
    expect(status).to_have_text("Saving…")  # after the typing pause, and held on the way
    network.wait_for_one()
    ana.locator(field).fill(theirs)
    ana.locator(field).press("Tab")
    expect(ana.locator(f"{field}-status")).to_contain_text("Saved")
    network.release()
    expect(boris.locator(".conflict")).to_be_visible()
    expect(status).to_have_text(CONFLICT)
    return network, field, status


def test_the_merged_text_being_typed_survives_a_slow_save_a_reload_and_a_newer_version(new_page, scene):
    ana, boris = new_page(expected_statuses=(409,)), new_page(expected_statuses=(409,))
    network, field, status = conflict_between(ana, boris, scene, "Текстът на Ана", "Текстът на Борис")
    merge = boris.get_by_label("Merged text")

    # Pressing "Merge both" leaves the answer field; whatever that sends arrives 1.5 s later.
    boris.get_by_role("button", name="Merge both").click()
    typed = "Ана и Борис: обща услуга"
    merge.fill(typed)
    network.release()
    expect(status).to_have_text(CONFLICT)  # any answer to a save is handled by now
    expect(merge).to_have_value(typed)
    expect(merge).to_be_focused()

    # A reload (or a network drop) brings the panel back with the merged draft in it.
    network.stop()
    boris.reload()
    expect(boris.get_by_label("Merged text")).to_have_value(typed)

    # Ana saves again meanwhile: Boris's merged save meets her newer text; his draft stays.
    ana.locator(field).fill("Текстът на Ана, втори път")
    ana.locator(field).press("Tab")
    expect(ana.locator(f"{field}-status")).to_contain_text("Saved")
    boris.get_by_role("button", name="Save merged text").click()
    expect(boris.locator(".conflict__theirs")).to_have_text("Текстът на Ана, втори път")
    expect(boris.get_by_label("Merged text")).to_have_value(typed)

    boris.get_by_role("button", name="Save merged text").click()
    expect(status).to_contain_text("Saved")
    expect(boris.locator(".conflict")).to_have_count(0)
    expect(ana.locator(field)).to_have_value(typed)
    expect(boris.locator(field)).to_have_value(typed)
    boris.reload()  # nothing left over to restore
    expect(boris.locator(field)).to_have_value(typed)
    expect(boris.locator(".conflict")).to_have_count(0)


def test_the_merge_editor_opens_on_merge_both_and_holds_shared_lines_once(new_page, scene):
    ana, boris = new_page(), new_page(expected_statuses=(409,))
    theirs = "Общо начало\nРед на Ана\nОбщ край"
    mine = "Общо начало\nРед на Борис\nОбщ край"
    network, _, _ = conflict_between(ana, boris, scene, theirs, mine)
    network.stop()
    merge = boris.get_by_label("Merged text")
    expect(merge).to_be_hidden()
    expect(boris.get_by_role("button", name="Save merged text")).to_be_hidden()
    boris.get_by_role("button", name="Merge both").click()
    expect(merge).to_be_visible()
    expect(merge).to_be_focused()
    expect(merge).to_have_value("Общо начало\nРед на Ана\nРед на Борис\nОбщ край")
