"""Render stage, whose site it is: data/site.yaml's 主办单位, 联系方式, 网站标识码 and 备案号 for
the footer of every page, and the section of 关于 that says them.

A Chinese government site states at the foot of every page who runs it, its 网站标识码 and its
ICP and 公安 filing numbers, each filing number linked to the register that lists it. The footer is
the theme's (site_overrides/partials/copyright.html, in Material's markup): it reads what this
module makes of the site's SiteInfo from the mkdocs configuration of each run (build/mkdocs_run.py),
so the page shells every bureau and document page is poured into carry it, and so does the
preview. Only what site.yaml gives is said: without it, neither the footer nor 关于 names anyone.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from ..core.model import SiteInfo
from .escaping import escape
from .fragments import MARKER

# The registers a filing number is looked up in: the MIIT's for ICP (its number links to the
# register's home page, where it is searched), the Ministry of Public Security's for 公网安备
# (its query takes the number's digits).
ICP_REGISTER = "https://beian.miit.gov.cn/"
PUBLIC_SECURITY_REGISTER = "https://beian.mps.gov.cn/#/query/webSearch?code={code}"
SITE_INFO_MARKER = "<!-- gongkai:site-info -->"  # where 关于 (content/about.md) says whose site it is


def public_security_link(number: str) -> str:
    return PUBLIC_SECURITY_REGISTER.format(code="".join(re.findall(r"[0-9]+", number)))


def items(info: SiteInfo) -> list[tuple[str, str, str | None]]:
    """(label, text, link or None) of each item of *info* that is given, in the order the footer
    and 关于 show them."""
    out: list[tuple[str, str, str | None]] = []
    if info.publisher:
        out.append(("主办单位", info.publisher, None))
    if info.contact:
        out.append(("联系方式", info.contact, None))
    if info.site_code:
        out.append(("网站标识码", info.site_code, None))
    if info.icp:
        out.append(("ICP备案号", info.icp, ICP_REGISTER))
    if info.public_security:
        out.append(("公安机关备案号", info.public_security, public_security_link(info.public_security)))
    return out


def theme_values(info: SiteInfo) -> dict:
    """What the theme's footer shows, as plain values for the mkdocs configuration's `extra`
    (the partial escapes each): the items, and the data's licence."""
    return {
        "items": [{"label": label, "text": text, "href": href} for label, text, href in items(info)],
        "license": {"name": info.license_name or info.license_url, "href": info.license_url}
        if info.license_url
        else None,
    }


def section_html(info: SiteInfo) -> Markup:
    """The list 关于 shows under 本站信息: each given item, the filing numbers linked to their
    register, and the licence of the data."""
    lines = []
    for label, text, href in items(info):
        shown = f'<a href="{escape(href)}" rel="external noopener">{escape(text)}</a>' if href else escape(text)
        lines.append(f"<li>{escape(label)}：{shown}</li>")
    if info.license_url:
        name = escape(info.license_name or info.license_url)
        lines.append(
            f'<li>数据许可：本站的数据（表格及其下载）按<a href="{escape(info.license_url)}" rel="external noopener">'
            f"{name}</a>提供</li>"
        )
    return Markup('<ul class="gk-site-info">' + "".join(lines) + "</ul>") if lines else Markup("")


def about_text(info: SiteInfo, text: str) -> tuple[str, dict[str, str]]:
    """关于 (content/about.md's *text*) with whose site it is where its marker stands: a heading
    and the list, kept out of Markdown as a fragment (render/fragments.py), or nothing when
    site.yaml names nothing. → the page's Markdown and its fragments."""
    listed = section_html(info)
    fragments = {}
    section = ""
    if listed:
        marker = MARKER.format(0)
        fragments[marker] = str(listed)
        section = f"## 本站信息 {{#site-info}}\n\n{marker}\n"
    if SITE_INFO_MARKER in text:
        return text.replace(SITE_INFO_MARKER, section), fragments
    return (text.rstrip("\n") + "\n\n" + section if section else text), fragments
