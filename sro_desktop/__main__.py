import sys

from sro_desktop.app import main

sys.exit(main())
