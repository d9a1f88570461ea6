/ip route add dst-address=1.0.0.0/8 comment=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
:put [/ip route find where comment~"(a|a)*b"]
