from incidentdb.cli import main

main()
