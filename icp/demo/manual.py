"""Demo data for E9: one manual version in Chinese, generated synchronously.

It takes about five seconds for the demo enterprise (WeasyPrint's layout), so the demo opens with
a version to download; English and bilingual versions are one click away on the manual page (each
would add the same time to every `seed_demo`, which the test suite runs many times). Idempotent:
nothing is generated when the organisation already has a Chinese version.
"""

from core.demo import DemoContext, demo_seeder
from icp.models import ManualLanguage, ManualVersion
from icp.services.manual import manual_generate


@demo_seeder(order=28)
def seed_manual(ctx: DemoContext) -> None:
    organisation = ctx.organisations["demo"]
    for language in (ManualLanguage.CHINESE,):
        if ManualVersion.objects.for_organisation(organisation).filter(language=language).exists():
            continue
        version = manual_generate(
            organisation=organisation,
            language=language,
            requested_by=ctx.users.get("executive"),
        )
        ctx.log(
            f"ICP manual v{version.number} ({language}): {version.page_count} pages, "
            f"{version.generation_seconds:.1f} s"
        )
