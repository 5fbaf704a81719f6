"""Create the demo accounts and print them: `python -m webapp.demo_accounts` (run by `make run`).

Opens the app's store (DATABASE_URL, or data/assessments.db), loads the example clusters
unless CLUSTER_ASSESS_DEMO=0, creates (once) one manager per demo cluster, an officer of the
demo programme and an administrator (`storage.demo_accounts`), and prints username,
password, role and scope of each. With the demo off it prints nothing and changes nothing.
"""

from __future__ import annotations

import os
import sys

from storage import Store, demo_accounts, demo_enabled, load_demo

URL_VARIABLE = "DATABASE_URL"


def main() -> int:
    """Print the demo accounts; returns the exit code."""
    if not demo_enabled():
        print(
            "Demo data is off (CLUSTER_ASSESS_DEMO=0): no demo accounts; "
            "the first visitor creates the administrator on the sign-in page."
        )
        return 0
    with Store(os.environ.get(URL_VARIABLE) or None) as store:
        load_demo(store)  # reads the questionnaire only when an example is not loaded yet
        accounts = demo_accounts(store)
    width = max(len(a[0]) for a in accounts)
    print("Demo accounts (sign in with one of these):")
    for username, password, role, scope in accounts:
        print(f"  {username:<{width}}  {password:<{width + 14}}  {role:<8} {scope}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
