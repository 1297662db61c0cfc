from rls_screen.cli import main

raise SystemExit(main())
