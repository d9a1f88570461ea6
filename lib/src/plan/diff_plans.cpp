#include <vpnaas/plan/diff.hpp>

#include <functional>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace vpnaas::plan {
namespace {

using render::routeros::DevicePlan;
using render::routeros::PlanItem;
using render::routeros::Prop;

bool is_flag(const Prop& p) {
  return p.style == Prop::Style::flag;
}

// What a PropChange may show of one side's value.
std::optional<std::string> shown(const Prop* p, bool secret) {
  if (p == nullptr) {
    return std::nullopt;
  }
  if (secret) {
    return std::string(kHiddenValue);
  }
  return is_flag(*p) ? std::string() : p->value;
}

PropChange prop_change(const Prop* before, const Prop* after) {
  const Prop& any = after != nullptr ? *after : *before;
  // Hidden when either side is secret, so a property that stops being
  // marked secret still never shows its old value.
  bool secret = (before != nullptr && before->secret) || (after != nullptr && after->secret);
  return PropChange{any.name, shown(before, secret), shown(after, secret), secret, is_flag(any)};
}

bool same(const Prop& a, const Prop& b) {
  // Bare and text write the same value to the router; only quoting differs.
  return is_flag(a) == is_flag(b) && (is_flag(a) || a.value == b.value);
}

const Prop* find_prop(const std::vector<Prop>& props, std::string_view name) {
  for (const Prop& p : props) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

// Items have a handful of properties, so a linear search beats any index.
std::vector<PropChange> changed_props(const PlanItem& before, const PlanItem& after) {
  std::vector<PropChange> out;
  for (const Prop& p : after.props) {
    const Prop* old = find_prop(before.props, p.name);
    if (old == nullptr || !same(*old, p)) {
      out.push_back(prop_change(old, &p));
    }
  }
  for (const Prop& p : before.props) {
    if (find_prop(after.props, p.name) == nullptr) {
      out.push_back(prop_change(&p, nullptr));
    }
  }
  return out;
}

ItemChange whole_item(ItemChange::Kind kind, const std::string& menu, const PlanItem& item) {
  ItemChange change{kind, menu, item.tag, {}};
  change.props.reserve(item.props.size());
  for (const Prop& p : item.props) {
    change.props.push_back(kind == ItemChange::Kind::added ? prop_change(nullptr, &p)
                                                           : prop_change(&p, nullptr));
  }
  return change;
}

// An item's identity on the router: its menu and its comment tag. Views into
// the base plan, which outlives the index.
struct ItemKey {
  std::string_view menu;
  std::string_view tag;
  bool operator==(const ItemKey&) const = default;
};

struct ItemKeyHash {
  std::size_t operator()(const ItemKey& k) const {
    std::size_t h = std::hash<std::string_view>{}(k.tag);
    return h ^
           (std::hash<std::string_view>{}(k.menu) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  }
};

struct BaseItem {
  const std::string* menu = nullptr;
  const PlanItem* item = nullptr;
  bool matched = false;
};

} // namespace

std::vector<ItemChange> diff_plans(const DevicePlan& base, const DevicePlan& head) {
  std::vector<BaseItem> items;
  for (const auto& menu : base.menus) {
    for (const auto& item : menu.items) {
      items.push_back(BaseItem{&menu.path, &item, false});
    }
  }
  // A tag appears once per plan (the script finds items by it); should one
  // repeat, the first occurrence is matched and the others count as removed
  // or added, which keeps the result deterministic.
  std::unordered_map<ItemKey, std::size_t, ItemKeyHash> index;
  index.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    index.emplace(ItemKey{*items[i].menu, items[i].item->tag}, i);
  }

  std::vector<ItemChange> out;
  for (const auto& menu : head.menus) {
    for (const auto& item : menu.items) {
      auto it = index.find(ItemKey{menu.path, item.tag});
      if (it == index.end() || items[it->second].matched) {
        out.push_back(whole_item(ItemChange::Kind::added, menu.path, item));
        continue;
      }
      BaseItem& old = items[it->second];
      old.matched = true;
      auto props = changed_props(*old.item, item);
      if (!props.empty()) {
        out.push_back(ItemChange{ItemChange::Kind::changed, menu.path, item.tag, std::move(props)});
      }
    }
  }
  for (const BaseItem& old : items) {
    if (!old.matched) {
      out.push_back(whole_item(ItemChange::Kind::removed, *old.menu, *old.item));
    }
  }
  return out;
}

} // namespace vpnaas::plan
