"""The frozen app's entry point (PyInstaller runs this file as __main__)."""

import sys

from sro_desktop.app import main

sys.exit(main())
