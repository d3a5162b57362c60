from qa.cli.main import main

main()
