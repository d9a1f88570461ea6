# vpnaas 0.1.0: RouterOS 7 configuration of device "dc1-r1" (router of cluster "dc1")
# inventory revision unknown (the inventory is not in a git repository)
# 3 tunnel(s). Import with /import file-name="dc1-r1.rsc"
# Converging script: importing it again changes nothing. Items vpnaas manages carry the
# comment "vpnaas:<kind>:<id>"; they are added, updated in place or removed as the
# inventory says, and items without that comment are never touched.
# Remove what vpnaas added earlier and the inventory no longer wants.
{
  :local vpnaasWanted [:toarray ""]
  :set ($vpnaasWanted->"vpnaas:route:acme/ghent~dc1/dc1-r1:192.168.30.0/24") true
  :set ($vpnaasWanted->"vpnaas:ospf-interface:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:ospf-interface:acme/brussels~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:ospf-network:acme:10.10.0.0/24") true
  :set ($vpnaasWanted->"vpnaas:ospf-area:acme") true
  :set ($vpnaasWanted->"vpnaas:ospf-instance:acme") true
  :set ($vpnaasWanted->"vpnaas:filter:ike") true
  :set ($vpnaasWanted->"vpnaas:filter:esp") true
  :set ($vpnaasWanted->"vpnaas:filter:gre") true
  :set ($vpnaasWanted->"vpnaas:filter:ospf") true
  :set ($vpnaasWanted->"vpnaas:peer-address:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:peer-address:acme/brussels~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:peer-address:acme/ghent~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:address:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:address:acme/brussels~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:address:acme/ghent~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:interface-list-member:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:interface-list-member:acme/brussels~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:interface-list-member:acme/ghent~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:interface-list:tunnels") true
  :set ($vpnaasWanted->"vpnaas:gre:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:gre:acme/brussels~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:gre:acme/ghent~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:policy:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:policy:acme/brussels~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:policy:acme/ghent~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:identity:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:identity:acme/brussels~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:identity:acme/ghent~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:peer:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:peer:acme/brussels~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:peer:acme/ghent~dc1/dc1-r1") true
  :foreach vpnaasId in=[/ip route find where comment~"^vpnaas:"] do={
    :local vpnaasTag [/ip route get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = "nothing") do={
      /ip route remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/routing ospf interface-template find where comment~"^vpnaas:"] do={
    :local vpnaasTag [/routing ospf interface-template get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = "nothing") do={
      /routing ospf interface-template remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/routing ospf area find where comment~"^vpnaas:"] do={
    :local vpnaasTag [/routing ospf area get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = "nothing") do={
      /routing ospf area remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/routing ospf instance find where comment~"^vpnaas:"] do={
    :local vpnaasTag [/routing ospf instance get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = "nothing") do={
      /routing ospf instance remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip firewall filter find where comment~"^vpnaas:"] do={
    :local vpnaasTag [/ip firewall filter get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = "nothing") do={
      /ip firewall filter remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip firewall address-list find where comment~"^vpnaas:"] do={
    :local vpnaasTag [/ip firewall address-list get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = "nothing") do={
      /ip firewall address-list remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip address find where comment~"^vpnaas:"] do={
    :local vpnaasTag [/ip address get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = "nothing") do={
      /ip address remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/interface list member find where comment~"^vpnaas:"] do={
    :local vpnaasTag [/interface list member get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = "nothing") do={
      /interface list member remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/interface list find where comment~"^vpnaas:"] do={
    :local vpnaasTag [/interface list get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = "nothing") do={
      /interface list remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/interface gre find where comment~"^vpnaas:"] do={
    :local vpnaasTag [/interface gre get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = "nothing") do={
      /interface gre remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip ipsec policy find where comment~"^vpnaas:"] do={
    :local vpnaasTag [/ip ipsec policy get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = "nothing") do={
      /ip ipsec policy remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip ipsec identity find where comment~"^vpnaas:"] do={
    :local vpnaasTag [/ip ipsec identity get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = "nothing") do={
      /ip ipsec identity remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip ipsec peer find where comment~"^vpnaas:"] do={
    :local vpnaasTag [/ip ipsec peer get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = "nothing") do={
      /ip ipsec peer remove $vpnaasId
    }
  }
}
# /ip ipsec profile: IKE phase 1 per crypto suite
:if ([:len [/ip ipsec profile find where comment="vpnaas:profile:strong"]] = 0) do={
  /ip ipsec profile add name="vpnaas-strong" hash-algorithm="sha256" enc-algorithm="aes-256" dh-group="modp2048" lifetime=1d comment="vpnaas:profile:strong"
} else={
  /ip ipsec profile set [find where comment="vpnaas:profile:strong"] name="vpnaas-strong" hash-algorithm="sha256" enc-algorithm="aes-256" dh-group="modp2048" lifetime=1d
}
# /ip ipsec proposal: ESP phase 2 per crypto suite
:if ([:len [/ip ipsec proposal find where comment="vpnaas:proposal:strong"]] = 0) do={
  /ip ipsec proposal add name="vpnaas-strong" auth-algorithms="sha256" enc-algorithms="aes-256-cbc" pfs-group="modp2048" lifetime=8h comment="vpnaas:proposal:strong"
} else={
  /ip ipsec proposal set [find where comment="vpnaas:proposal:strong"] name="vpnaas-strong" auth-algorithms="sha256" enc-algorithms="aes-256-cbc" pfs-group="modp2048" lifetime=8h
}
# /ip ipsec peer: IKEv2 peer per tunnel
:if ([:len [/ip ipsec peer find where comment="vpnaas:peer:acme/antwerp~dc1/dc1-r1"]] = 0) do={
  /ip ipsec peer add name="vpnaas-acme-ant-r1" address=192.0.2.20/32 local-address=203.0.113.1 exchange-mode=ike2 profile="vpnaas-strong" comment="vpnaas:peer:acme/antwerp~dc1/dc1-r1"
} else={
  /ip ipsec peer set [find where comment="vpnaas:peer:acme/antwerp~dc1/dc1-r1"] name="vpnaas-acme-ant-r1" address=192.0.2.20/32 local-address=203.0.113.1 exchange-mode=ike2 profile="vpnaas-strong"
}
:if ([:len [/ip ipsec peer find where comment="vpnaas:peer:acme/brussels~dc1/dc1-r1"]] = 0) do={
  /ip ipsec peer add name="vpnaas-acme-bru-r1" address=192.0.2.10/32 local-address=203.0.113.1 exchange-mode=ike2 profile="vpnaas-strong" comment="vpnaas:peer:acme/brussels~dc1/dc1-r1"
} else={
  /ip ipsec peer set [find where comment="vpnaas:peer:acme/brussels~dc1/dc1-r1"] name="vpnaas-acme-bru-r1" address=192.0.2.10/32 local-address=203.0.113.1 exchange-mode=ike2 profile="vpnaas-strong"
}
:if ([:len [/ip ipsec peer find where comment="vpnaas:peer:acme/ghent~dc1/dc1-r1"]] = 0) do={
  /ip ipsec peer add name="vpnaas-acme-ghe-r1" address=192.0.2.30/32 local-address=203.0.113.1 exchange-mode=ike2 profile="vpnaas-strong" comment="vpnaas:peer:acme/ghent~dc1/dc1-r1"
} else={
  /ip ipsec peer set [find where comment="vpnaas:peer:acme/ghent~dc1/dc1-r1"] name="vpnaas-acme-ghe-r1" address=192.0.2.30/32 local-address=203.0.113.1 exchange-mode=ike2 profile="vpnaas-strong"
}
# /ip ipsec identity: pre-shared key per tunnel
:if ([:len [/ip ipsec identity find where comment="vpnaas:identity:acme/antwerp~dc1/dc1-r1"]] = 0) do={
  /ip ipsec identity add peer="vpnaas-acme-ant-r1" auth-method=pre-shared-key secret="523d26fbaa47f8340a49a4439ebd82d836e847afffe79e70b5bce357b0e89468" comment="vpnaas:identity:acme/antwerp~dc1/dc1-r1"
} else={
  /ip ipsec identity set [find where comment="vpnaas:identity:acme/antwerp~dc1/dc1-r1"] peer="vpnaas-acme-ant-r1" auth-method=pre-shared-key secret="523d26fbaa47f8340a49a4439ebd82d836e847afffe79e70b5bce357b0e89468"
}
:if ([:len [/ip ipsec identity find where comment="vpnaas:identity:acme/brussels~dc1/dc1-r1"]] = 0) do={
  /ip ipsec identity add peer="vpnaas-acme-bru-r1" auth-method=pre-shared-key secret="cce61e498471fd3d70c75af2977a8f92ad83815de21c64004951800b42dee044" comment="vpnaas:identity:acme/brussels~dc1/dc1-r1"
} else={
  /ip ipsec identity set [find where comment="vpnaas:identity:acme/brussels~dc1/dc1-r1"] peer="vpnaas-acme-bru-r1" auth-method=pre-shared-key secret="cce61e498471fd3d70c75af2977a8f92ad83815de21c64004951800b42dee044"
}
:if ([:len [/ip ipsec identity find where comment="vpnaas:identity:acme/ghent~dc1/dc1-r1"]] = 0) do={
  /ip ipsec identity add peer="vpnaas-acme-ghe-r1" auth-method=pre-shared-key secret="a125c5b2862586d6923eecc1a8e0504d1ebab97d7d2b7ce44fae9edc209dbd62" comment="vpnaas:identity:acme/ghent~dc1/dc1-r1"
} else={
  /ip ipsec identity set [find where comment="vpnaas:identity:acme/ghent~dc1/dc1-r1"] peer="vpnaas-acme-ghe-r1" auth-method=pre-shared-key secret="a125c5b2862586d6923eecc1a8e0504d1ebab97d7d2b7ce44fae9edc209dbd62"
}
# /ip ipsec policy: transport-mode policy for GRE per tunnel
:if ([:len [/ip ipsec policy find where comment="vpnaas:policy:acme/antwerp~dc1/dc1-r1"]] = 0) do={
  /ip ipsec policy add src-address=203.0.113.1/32 dst-address=192.0.2.20/32 protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer="vpnaas-acme-ant-r1" comment="vpnaas:policy:acme/antwerp~dc1/dc1-r1"
} else={
  /ip ipsec policy set [find where comment="vpnaas:policy:acme/antwerp~dc1/dc1-r1"] src-address=203.0.113.1/32 dst-address=192.0.2.20/32 protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer="vpnaas-acme-ant-r1"
}
:if ([:len [/ip ipsec policy find where comment="vpnaas:policy:acme/brussels~dc1/dc1-r1"]] = 0) do={
  /ip ipsec policy add src-address=203.0.113.1/32 dst-address=192.0.2.10/32 protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer="vpnaas-acme-bru-r1" comment="vpnaas:policy:acme/brussels~dc1/dc1-r1"
} else={
  /ip ipsec policy set [find where comment="vpnaas:policy:acme/brussels~dc1/dc1-r1"] src-address=203.0.113.1/32 dst-address=192.0.2.10/32 protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer="vpnaas-acme-bru-r1"
}
:if ([:len [/ip ipsec policy find where comment="vpnaas:policy:acme/ghent~dc1/dc1-r1"]] = 0) do={
  /ip ipsec policy add src-address=203.0.113.1/32 dst-address=192.0.2.30/32 protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer="vpnaas-acme-ghe-r1" comment="vpnaas:policy:acme/ghent~dc1/dc1-r1"
} else={
  /ip ipsec policy set [find where comment="vpnaas:policy:acme/ghent~dc1/dc1-r1"] src-address=203.0.113.1/32 dst-address=192.0.2.30/32 protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer="vpnaas-acme-ghe-r1"
}
# /interface gre: GRE interface per tunnel
:if ([:len [/interface gre find where comment="vpnaas:gre:acme/antwerp~dc1/dc1-r1"]] = 0) do={
  /interface gre add name="gre-acme-ant-r1" local-address=203.0.113.1 remote-address=192.0.2.20 mtu=1400 keepalive=10s,3 allow-fast-path=no clamp-tcp-mss=yes comment="vpnaas:gre:acme/antwerp~dc1/dc1-r1"
} else={
  /interface gre set [find where comment="vpnaas:gre:acme/antwerp~dc1/dc1-r1"] name="gre-acme-ant-r1" local-address=203.0.113.1 remote-address=192.0.2.20 mtu=1400 keepalive=10s,3 allow-fast-path=no clamp-tcp-mss=yes
}
:if ([:len [/interface gre find where comment="vpnaas:gre:acme/brussels~dc1/dc1-r1"]] = 0) do={
  /interface gre add name="gre-acme-bru-r1" local-address=203.0.113.1 remote-address=192.0.2.10 mtu=1400 keepalive=10s,3 allow-fast-path=no clamp-tcp-mss=yes comment="vpnaas:gre:acme/brussels~dc1/dc1-r1"
} else={
  /interface gre set [find where comment="vpnaas:gre:acme/brussels~dc1/dc1-r1"] name="gre-acme-bru-r1" local-address=203.0.113.1 remote-address=192.0.2.10 mtu=1400 keepalive=10s,3 allow-fast-path=no clamp-tcp-mss=yes
}
:if ([:len [/interface gre find where comment="vpnaas:gre:acme/ghent~dc1/dc1-r1"]] = 0) do={
  /interface gre add name="gre-acme-ghe-r1" local-address=203.0.113.1 remote-address=192.0.2.30 mtu=1400 keepalive=10s,3 allow-fast-path=no clamp-tcp-mss=yes comment="vpnaas:gre:acme/ghent~dc1/dc1-r1"
} else={
  /interface gre set [find where comment="vpnaas:gre:acme/ghent~dc1/dc1-r1"] name="gre-acme-ghe-r1" local-address=203.0.113.1 remote-address=192.0.2.30 mtu=1400 keepalive=10s,3 allow-fast-path=no clamp-tcp-mss=yes
}
# /interface list: the tunnel interfaces, for firewall rules
:if ([:len [/interface list find where comment="vpnaas:interface-list:tunnels"]] = 0) do={
  /interface list add name="vpnaas-tunnels" comment="vpnaas:interface-list:tunnels"
} else={
  /interface list set [find where comment="vpnaas:interface-list:tunnels"] name="vpnaas-tunnels"
}
# /interface list member: tunnel interface list members
:if ([:len [/interface list member find where comment="vpnaas:interface-list-member:acme/antwerp~dc1/dc1-r1"]] = 0) do={
  /interface list member add list="vpnaas-tunnels" interface="gre-acme-ant-r1" comment="vpnaas:interface-list-member:acme/antwerp~dc1/dc1-r1"
} else={
  /interface list member set [find where comment="vpnaas:interface-list-member:acme/antwerp~dc1/dc1-r1"] list="vpnaas-tunnels" interface="gre-acme-ant-r1"
}
:if ([:len [/interface list member find where comment="vpnaas:interface-list-member:acme/brussels~dc1/dc1-r1"]] = 0) do={
  /interface list member add list="vpnaas-tunnels" interface="gre-acme-bru-r1" comment="vpnaas:interface-list-member:acme/brussels~dc1/dc1-r1"
} else={
  /interface list member set [find where comment="vpnaas:interface-list-member:acme/brussels~dc1/dc1-r1"] list="vpnaas-tunnels" interface="gre-acme-bru-r1"
}
:if ([:len [/interface list member find where comment="vpnaas:interface-list-member:acme/ghent~dc1/dc1-r1"]] = 0) do={
  /interface list member add list="vpnaas-tunnels" interface="gre-acme-ghe-r1" comment="vpnaas:interface-list-member:acme/ghent~dc1/dc1-r1"
} else={
  /interface list member set [find where comment="vpnaas:interface-list-member:acme/ghent~dc1/dc1-r1"] list="vpnaas-tunnels" interface="gre-acme-ghe-r1"
}
# /ip address: transit address per tunnel
:if ([:len [/ip address find where comment="vpnaas:address:acme/antwerp~dc1/dc1-r1"]] = 0) do={
  /ip address add address=10.255.0.10/30 interface="gre-acme-ant-r1" comment="vpnaas:address:acme/antwerp~dc1/dc1-r1"
} else={
  /ip address set [find where comment="vpnaas:address:acme/antwerp~dc1/dc1-r1"] address=10.255.0.10/30 interface="gre-acme-ant-r1"
}
:if ([:len [/ip address find where comment="vpnaas:address:acme/brussels~dc1/dc1-r1"]] = 0) do={
  /ip address add address=10.255.0.22/30 interface="gre-acme-bru-r1" comment="vpnaas:address:acme/brussels~dc1/dc1-r1"
} else={
  /ip address set [find where comment="vpnaas:address:acme/brussels~dc1/dc1-r1"] address=10.255.0.22/30 interface="gre-acme-bru-r1"
}
:if ([:len [/ip address find where comment="vpnaas:address:acme/ghent~dc1/dc1-r1"]] = 0) do={
  /ip address add address=10.255.0.30/30 interface="gre-acme-ghe-r1" comment="vpnaas:address:acme/ghent~dc1/dc1-r1"
} else={
  /ip address set [find where comment="vpnaas:address:acme/ghent~dc1/dc1-r1"] address=10.255.0.30/30 interface="gre-acme-ghe-r1"
}
# /ip firewall address-list: public addresses of tunnel peers
:if ([:len [/ip firewall address-list find where comment="vpnaas:peer-address:acme/antwerp~dc1/dc1-r1"]] = 0) do={
  /ip firewall address-list add list="vpnaas-peers" address=192.0.2.20 comment="vpnaas:peer-address:acme/antwerp~dc1/dc1-r1"
} else={
  /ip firewall address-list set [find where comment="vpnaas:peer-address:acme/antwerp~dc1/dc1-r1"] list="vpnaas-peers" address=192.0.2.20
}
:if ([:len [/ip firewall address-list find where comment="vpnaas:peer-address:acme/brussels~dc1/dc1-r1"]] = 0) do={
  /ip firewall address-list add list="vpnaas-peers" address=192.0.2.10 comment="vpnaas:peer-address:acme/brussels~dc1/dc1-r1"
} else={
  /ip firewall address-list set [find where comment="vpnaas:peer-address:acme/brussels~dc1/dc1-r1"] list="vpnaas-peers" address=192.0.2.10
}
:if ([:len [/ip firewall address-list find where comment="vpnaas:peer-address:acme/ghent~dc1/dc1-r1"]] = 0) do={
  /ip firewall address-list add list="vpnaas-peers" address=192.0.2.30 comment="vpnaas:peer-address:acme/ghent~dc1/dc1-r1"
} else={
  /ip firewall address-list set [find where comment="vpnaas:peer-address:acme/ghent~dc1/dc1-r1"] list="vpnaas-peers" address=192.0.2.30
}
# /ip firewall filter: accept IKE, ESP, GRE under IPsec (before any drop)
:if ([:len [/ip firewall filter find where comment="vpnaas:filter:ike"]] = 0) do={
  :local vpnaasBefore [/ip firewall filter find where chain=input and action=drop and dynamic=no]
  :if ([:len $vpnaasBefore] = 0) do={
    /ip firewall filter add chain=input action=accept protocol=udp dst-port=500,4500 src-address-list="vpnaas-peers" comment="vpnaas:filter:ike"
  } else={
    /ip firewall filter add chain=input action=accept protocol=udp dst-port=500,4500 src-address-list="vpnaas-peers" comment="vpnaas:filter:ike" place-before=($vpnaasBefore->0)
  }
} else={
  /ip firewall filter set [find where comment="vpnaas:filter:ike"] chain=input action=accept protocol=udp dst-port=500,4500 src-address-list="vpnaas-peers"
}
:if ([:len [/ip firewall filter find where comment="vpnaas:filter:esp"]] = 0) do={
  :local vpnaasBefore [/ip firewall filter find where chain=input and action=drop and dynamic=no]
  :if ([:len $vpnaasBefore] = 0) do={
    /ip firewall filter add chain=input action=accept protocol=ipsec-esp src-address-list="vpnaas-peers" comment="vpnaas:filter:esp"
  } else={
    /ip firewall filter add chain=input action=accept protocol=ipsec-esp src-address-list="vpnaas-peers" comment="vpnaas:filter:esp" place-before=($vpnaasBefore->0)
  }
} else={
  /ip firewall filter set [find where comment="vpnaas:filter:esp"] chain=input action=accept protocol=ipsec-esp src-address-list="vpnaas-peers"
}
:if ([:len [/ip firewall filter find where comment="vpnaas:filter:gre"]] = 0) do={
  :local vpnaasBefore [/ip firewall filter find where chain=input and action=drop and dynamic=no]
  :if ([:len $vpnaasBefore] = 0) do={
    /ip firewall filter add chain=input action=accept protocol=gre ipsec-policy=in,ipsec src-address-list="vpnaas-peers" comment="vpnaas:filter:gre"
  } else={
    /ip firewall filter add chain=input action=accept protocol=gre ipsec-policy=in,ipsec src-address-list="vpnaas-peers" comment="vpnaas:filter:gre" place-before=($vpnaasBefore->0)
  }
} else={
  /ip firewall filter set [find where comment="vpnaas:filter:gre"] chain=input action=accept protocol=gre ipsec-policy=in,ipsec src-address-list="vpnaas-peers"
}
:if ([:len [/ip firewall filter find where comment="vpnaas:filter:ospf"]] = 0) do={
  :local vpnaasBefore [/ip firewall filter find where chain=input and action=drop and dynamic=no]
  :if ([:len $vpnaasBefore] = 0) do={
    /ip firewall filter add chain=input action=accept protocol=ospf in-interface-list="vpnaas-tunnels" comment="vpnaas:filter:ospf"
  } else={
    /ip firewall filter add chain=input action=accept protocol=ospf in-interface-list="vpnaas-tunnels" comment="vpnaas:filter:ospf" place-before=($vpnaasBefore->0)
  }
} else={
  /ip firewall filter set [find where comment="vpnaas:filter:ospf"] chain=input action=accept protocol=ospf in-interface-list="vpnaas-tunnels"
}
# /routing ospf instance: OSPF instance per customer
:if ([:len [/routing ospf instance find where comment="vpnaas:ospf-instance:acme"]] = 0) do={
  /routing ospf instance add name="vpnaas-acme" version=2 router-id=10.0.255.1 comment="vpnaas:ospf-instance:acme"
} else={
  /routing ospf instance set [find where comment="vpnaas:ospf-instance:acme"] name="vpnaas-acme" version=2 router-id=10.0.255.1
}
# /routing ospf area: OSPF area per customer
:if ([:len [/routing ospf area find where comment="vpnaas:ospf-area:acme"]] = 0) do={
  /routing ospf area add name="vpnaas-acme" area-id="0.0.0.0" instance="vpnaas-acme" comment="vpnaas:ospf-area:acme"
} else={
  /routing ospf area set [find where comment="vpnaas:ospf-area:acme"] name="vpnaas-acme" area-id="0.0.0.0" instance="vpnaas-acme"
}
# /routing ospf interface-template: point-to-point OSPF on tunnels, passive on local networks
:if ([:len [/routing ospf interface-template find where comment="vpnaas:ospf-interface:acme/antwerp~dc1/dc1-r1"]] = 0) do={
  /routing ospf interface-template add area="vpnaas-acme" interfaces="gre-acme-ant-r1" type=ptp hello-interval=1s dead-interval=4s cost=10 comment="vpnaas:ospf-interface:acme/antwerp~dc1/dc1-r1"
} else={
  /routing ospf interface-template set [find where comment="vpnaas:ospf-interface:acme/antwerp~dc1/dc1-r1"] area="vpnaas-acme" interfaces="gre-acme-ant-r1" type=ptp hello-interval=1s dead-interval=4s cost=10
}
:if ([:len [/routing ospf interface-template find where comment="vpnaas:ospf-interface:acme/brussels~dc1/dc1-r1"]] = 0) do={
  /routing ospf interface-template add area="vpnaas-acme" interfaces="gre-acme-bru-r1" type=ptp hello-interval=1s dead-interval=4s cost=10 comment="vpnaas:ospf-interface:acme/brussels~dc1/dc1-r1"
} else={
  /routing ospf interface-template set [find where comment="vpnaas:ospf-interface:acme/brussels~dc1/dc1-r1"] area="vpnaas-acme" interfaces="gre-acme-bru-r1" type=ptp hello-interval=1s dead-interval=4s cost=10
}
:if ([:len [/routing ospf interface-template find where comment="vpnaas:ospf-network:acme:10.10.0.0/24"]] = 0) do={
  /routing ospf interface-template add area="vpnaas-acme" networks=10.10.0.0/24 passive comment="vpnaas:ospf-network:acme:10.10.0.0/24"
} else={
  /routing ospf interface-template set [find where comment="vpnaas:ospf-network:acme:10.10.0.0/24"] area="vpnaas-acme" networks=10.10.0.0/24 passive
}
# /ip route: static routes to peers' networks (routing: static)
:if ([:len [/ip route find where comment="vpnaas:route:acme/ghent~dc1/dc1-r1:192.168.30.0/24"]] = 0) do={
  /ip route add dst-address=192.168.30.0/24 gateway=10.255.0.29 comment="vpnaas:route:acme/ghent~dc1/dc1-r1:192.168.30.0/24"
} else={
  /ip route set [find where comment="vpnaas:route:acme/ghent~dc1/dc1-r1:192.168.30.0/24"] dst-address=192.168.30.0/24 gateway=10.255.0.29
}
# Remove crypto suites no peer or policy uses any more.
{
  :local vpnaasWanted [:toarray ""]
  :set ($vpnaasWanted->"vpnaas:proposal:strong") true
  :set ($vpnaasWanted->"vpnaas:profile:strong") true
  :foreach vpnaasId in=[/ip ipsec proposal find where comment~"^vpnaas:"] do={
    :local vpnaasTag [/ip ipsec proposal get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = "nothing") do={
      /ip ipsec proposal remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip ipsec profile find where comment~"^vpnaas:"] do={
    :local vpnaasTag [/ip ipsec profile get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = "nothing") do={
      /ip ipsec profile remove $vpnaasId
    }
  }
}
