(Coastal Post) -- Ferry fares to the outer islands will double for visitors this summer, the island council decided on Tuesday, while residents will keep paying the old price.

The council said the extra money, about $2 million a year, will pay for a second boat on the busiest route.

Visitors crowded the ferries last August, leaving some residents unable to get to work on the mainland.

@highlight

Ferry fares to the outer islands will double for visitors this summer

@highlight

Residents keep the old price; the money pays for a second boat
