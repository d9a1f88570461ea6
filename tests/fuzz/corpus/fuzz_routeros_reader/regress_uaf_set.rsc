/interface gre add name=g0 remote-address=1.1.1.1
/interface gre set [find where name=g0] comment=[/interface gre add name=g1 remote-address=1.1.1.2]
