#!/usr/bin/env python3
"""Per-route bot profiles over real SIP and RTP on loopback (issue 7:
"providers are chosen per route in the config").

`voxgate serve` has two routes answering with the embedded bot: To user
"sales" with `bot = "sales"` ([bots.sales], a menu greeting "Sales desk"),
every other user with no `bot` ([bot], the default profile, a menu
greeting "Main line"). SIPp places one call to each; /v1/events gives the
bot's events. Checked: each call's first bot.say is its own profile's
greeting, and the session carries the route that chose it. Nothing here
needs a capture: the greeting is decided before any audio is heard.

A third route parks calls to "desk"; the REST API answers one with the
bot's "sales" profile (after a profile that does not exist was refused
with 400 and left the call parked), and the caller is greeted by it.
"""
import threading
import time
import unittest

from bot_common import EventFeed, caller_audio, scenario_copy, write_caller_pcap

import harness
from api_client import Api
from harness import ServeOptions, SippProcess, VoxgateServer

MAIN_GREETING = "Main line, how can I help?"
SALES_GREETING = "Sales desk, what would you like to buy?"


def menu(table: str, greeting: str) -> str:
    return (f'[{table}.menu]\nstart = "hello"\n[[{table}.menu.states]]\nname = "hello"\nprompt = "{greeting}"\n'
            f'[[{table}.menu.states.choices]]\ndigits = "9"\naction = "hangup"\nsay = "Goodbye."\n')


def serve_options() -> ServeOptions:
    quiet = {"reprompt_after_ms": 0, "hangup_after_ms": 0}  # the greeting is the only thing said
    routes = ('[[routes]]\nname = "sales"\nmatch = { user = "sales" }\naction = "app"\napp = "bot"\nbot = "sales"\n'
              '[[routes]]\nname = "desk"\nmatch = { user = "desk" }\naction = "park"\n'
              '[[routes]]\nname = "main"\naction = "app"\napp = "bot"\n')
    sales = '[bots.sales]\nagent = "menu"\nreprompt_after_ms = 0\nhangup_after_ms = 0\n' + menu("bots.sales",
                                                                                                 SALES_GREETING)
    return ServeOptions(transports=("udp",), media={"app": "bot"}, bot=quiet,
                        extra_toml=menu("bot", MAIN_GREETING) + sales + routes)


def call(server: VoxgateServer, user: str) -> None:
    """One SIPp call to `user`, holding 3 s of caller silence."""
    audio = caller_audio([3000])
    pcap = server.workdir / f"caller_{user}.pcap"
    write_caller_pcap(pcap, audio)
    path = scenario_copy("uac_pcmu.xml", server.workdir, user, pcap=str(pcap),
                         hold_ms=str(int(audio.duration_s * 1000) + 500))
    sipp = SippProcess(path, remote=server.address, calls=1, service=user, max_seconds=60,
                       extra=("-mi", "127.0.0.1"))
    sipp.start()
    return sipp.result(timeout=60)


class BotProfiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.require_tool("sipp")
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)

    def test_each_route_greets_with_its_own_profile(self):
        with VoxgateServer(serve_options()) as server:
            feed = EventFeed(server)
            results = [call(server, "sales"), call(server, "reception")]
            feed.close()
        for result in results:
            result.assert_all_succeeded(self)
        first_said = {}
        for event in feed.of("bot.say"):
            first_said.setdefault(event["session"]["metadata"].get("route"), event["text"])
        self.assertEqual(first_said, {"sales": SALES_GREETING, "main": MAIN_GREETING}, feed.of("bot.say"))

    def test_the_api_answers_a_parked_call_with_a_named_profile(self):
        with VoxgateServer(serve_options()) as server:
            api = Api(server.api_url)
            feed = EventFeed(server)
            outcome = {}
            caller = threading.Thread(target=lambda: outcome.setdefault("result", call(server, "desk")))
            caller.start()
            try:
                sid = self.parked_session(api)
                status, body, _ = api.request("POST", f"/v1/sessions/{sid}/answer",
                                              {"app": {"name": "bot", "profile": "ghost"}})
                self.assertEqual(status, 400, body)
                self.assertIn("ghost", body["message"], body)
                status, record, _ = api.get(f"/v1/sessions/{sid}")
                self.assertEqual(record["answered"], None, record)  # still parked
                status, body, _ = api.request("POST", f"/v1/sessions/{sid}/answer",
                                              {"app": {"name": "bot", "profile": "sales"}})
                self.assertEqual(status, 200, body)
                greeted = feed.wait_for(lambda e: e.get("type") == "bot.say" and e["session"]["id"] == sid)
            finally:
                caller.join(timeout=90)
                feed.close()
        outcome["result"].assert_all_succeeded(self)
        self.assertIsNotNone(greeted, feed.events)
        self.assertEqual(greeted["text"], SALES_GREETING, greeted)

    def parked_session(self, api: Api) -> str:
        """The id of the parked call to "desk", once the registry has it."""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            status, page, _ = api.get("/v1/sessions")
            self.assertEqual(status, 200, page)
            parked = [s for s in page["sessions"] if s["metadata"].get("route") == "desk"]
            if parked:
                return parked[0]["id"]
            time.sleep(0.05)
        self.fail("the call to desk never showed up in /v1/sessions")


if __name__ == "__main__":
    harness.main()
