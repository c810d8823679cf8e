from coaching_xl.cli import main

main()
