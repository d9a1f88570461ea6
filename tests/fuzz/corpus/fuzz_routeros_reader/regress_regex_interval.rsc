/ip route add dst-address=1.0.0.0/8 comment=aaaa
:put [/ip route find where comment~"((a{999}){999}){999}"]
