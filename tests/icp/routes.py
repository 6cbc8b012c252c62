from tests.routes import EVERY_MEMBER, READERS, Route

ROUTES = [
    Route("icp:overview", EVERY_MEMBER),
    # Reference data is the same for every organisation and every member may read it.
    Route("icp:element_detail", EVERY_MEMBER, args=lambda world: ["E1"]),
    Route("icp:readiness", READERS),
]
