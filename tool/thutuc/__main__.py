from thutuc.cli import main

main()
